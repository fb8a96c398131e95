// The service window's page: a USB/HID scanner types the code and Enter into one field; the
// service's answer is shown in words, Chinese then English, never by colour alone.
"use strict";

const $ = (id) => document.getElementById(id);
const relations = { guardian: "监护人 / guardian", family: "亲属 / family", caseworker: "社工 / caseworker" };
// The names of the certificate's 残疾类别 and 残疾等级 (GB/T 26341-2010), as the project writes
// them (DisabilityCategory.chineseFullName, DisabilityLevel.chineseName).
const categories = {
  1: "视力残疾 / visual", 2: "听力残疾 / hearing", 3: "言语残疾 / speech", 4: "肢体残疾 / physical",
  5: "智力残疾 / intellectual", 6: "精神残疾 / mental", 7: "多重残疾 / multiple",
};
const levels = { 1: "一级 / level 1", 2: "二级 / level 2", 3: "三级 / level 3", 4: "四级 / level 4" };
// Why the service refused the key, said on the sign-in form.
const keyRefusals = {
  401: "密钥无效，请重新输入 / key not accepted: enter it again",
  403: "该密钥无核验权限，请换用有 verify 权限的密钥 / this key has no verify scope: use one that has",
};
// What to do when a code could not be checked: `zh` and `en` say what comes first.
const again = (zh, en) => zh + "按回车重试，或扫下一个码 / " + en + "press Enter to try again, or scan the next code";
// `scans` numbers each scan: an answer is shown only if no scan came after its own, so a slow
// answer for the person before can never appear as the answer for the person at the window.
let current = null, answers = 0, scans = 0;

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: "Bearer " + sessionStorage.getItem("zhucan-key") },
    body: JSON.stringify(body),
  });
  return {
    status: response.status, answer: await response.json().catch(() => ({})),
    retryAfter: Number(response.headers.get("Retry-After")) || 0,
  };
}

// The sign-in form, with why the key was refused if it was (`keyAtFault` unless the service
// could not say), or the scan field.
function signedIn(refusal, keyAtFault = true) {
  const key = sessionStorage.getItem("zhucan-key");
  $("sign-in").hidden = !!key;
  $("scan").hidden = !key;
  // Emptied, then filled a moment later: the same refusal twice is announced twice (screen
  // readers merge changes closer together).
  $("sign-in-error").textContent = "";
  $("sign-in-error").hidden = !refusal;
  if (refusal) setTimeout(() => { $("sign-in-error").textContent = refusal; }, 150);
  if (refusal && keyAtFault) $("api-key").setAttribute("aria-invalid", "true");
  else $("api-key").removeAttribute("aria-invalid");
  if (key) {
    $("code").focus();
    $("code").select();  // a code kept from before: Enter checks it, a scan replaces it
  } else {
    $("api-key").focus();
  }
}

// One term of the holder's, shown only when the answer carries it.
function term(id, text) {
  $(id).hidden = $(id + "-term").hidden = !text;
  $(id).textContent = text || "";
}

function show(report) {
  // status_unknown is no refusal: the status could not be confirmed, and the clerk must not
  // simply turn the holder away (the advice says what to do).
  const unknown = !report.valid && report.reason === "status_unknown";
  $("result").hidden = false;
  $("result").className = unknown ? "panel unchecked" : "panel";
  $("verdict").textContent = report.valid ? "✔ 有效 / valid" : unknown ? "⚠ 未能核验 / could not check" : "✘ 无效 / not valid";
  $("verdict").className = "verdict " + (report.valid ? "good" : unknown ? "unchecked" : "bad");
  $("reason").textContent = (report.reasonText || report.reason) + (report.detail ? "（" + report.detail + "）" : "");
  $("advice").textContent = report.advice || "";
  $("advice").hidden = !report.advice;
  $("details").hidden = false;
  const holder = report.holder || {};
  $("holder").textContent = holder.name || "—";
  // Category and level are in the code only when the holder chose to show them.
  term("category", holder.category == null ? null : categories[holder.category] || String(holder.category));
  term("level", holder.level == null ? null : levels[holder.level] || String(holder.level));
  $("agent").hidden = $("agent-term").hidden = !report.agent;
  if (report.agent) $("agent").textContent = "代办人 / agent: " + report.agent.name + "（" + (relations[report.agent.relation] || report.agent.relation) + "）";
  const service = report.service;
  $("service").hidden = $("service-term").hidden = !service;
  if (service) {
    $("service").textContent = (service.name || service.id) + " — " +
      (service.entitled ? "符合条件 / entitled" : "不符合条件 / not entitled" + (service.failedReason ? "：" + service.failedReason : ""));
  }
  $("redeem").hidden = !(report.valid && report.oneTime);
  $("redeemed").textContent = "";
  $("result").dataset.answer = String(++answers);
}

// No verdict: the service was not reached, or did not check the code. Said apart from a
// refusal (a mark, words and a dashed frame of their own), with what to do; the code stays in
// the field, selected, so that Enter asks again and the next scan replaces it.
function notChecked(code, reason, advice) {
  $("result").hidden = false;
  $("result").className = "panel unchecked";
  $("verdict").textContent = "⚠ 未能核验 / could not check";
  $("verdict").className = "verdict unchecked";
  $("reason").textContent = reason;
  $("advice").textContent = advice;
  $("advice").hidden = false;
  $("details").hidden = true;
  $("redeem").hidden = true;
  $("redeemed").textContent = "";
  $("result").dataset.answer = String(++answers);
  $("code").value = code;
  $("code").focus();
  $("code").select();
}

// Why an answer other than 200 carries no verdict, and what to do: [reason, advice].
function unchecked(status, answer, retryAfter, service) {
  const detail = answer.message ? "（" + answer.message + "）" : "";
  if (status === 400 && service && /service/.test(answer.message || "")) {
    return ["本窗口办理的服务编号“" + service + "”无效 / this window's service is not a catalogue id",
      "请检查“本窗口办理的服务”：只用小写字母、数字和 -（如 free-bus），或留空；再按回车重试 / " +
      "check this window's service: lower-case letters, digits and '-' only (e.g. free-bus), or leave it empty; then press Enter"];
  }
  if (status === 429) {
    return ["本窗口核验过于频繁 / too many checks from this window",
      retryAfter ? again("请等 " + retryAfter + " 秒，然后", "wait " + retryAfter + " s, then ") : again("请稍候，然后", "wait a moment, then ")];
  }
  if (status >= 500) {
    return ["核验服务暂时不可用（HTTP " + status + "）/ the verification service is unavailable" + detail, again("请稍候，然后", "wait a moment, then ")];
  }
  return ["核验服务未能处理此请求（HTTP " + status + "）/ the verification service could not take this request" + detail,
    "请重新扫码；仍不行请联系管理员 / scan again; if it happens again, call the administrator"];
}

async function check(event) {
  event.preventDefault();
  const code = $("code").value.trim();
  $("code").value = "";
  if (!code) return;
  // The last answer leaves the screen at once: it was for the person before.
  const scan = ++scans;
  current = null;
  $("result").hidden = true;
  const service = $("window-service").value.trim();
  sessionStorage.setItem("zhucan-service", service);
  let status, answer, retryAfter;
  try {
    ({ status, answer, retryAfter } = await post("/v1/verify", service ? { code, service } : { code }));
  } catch (error) {
    if (scan !== scans) return;
    notChecked(code, "无法连接核验服务 / cannot reach the verification service", again("请检查网络，然后", "check the network, then "));
    return;
  }
  if (scan !== scans) return;
  if (status === 401 || status === 403) {
    // The key is refused: signing in again, the clerk is told why and the code waits in its field.
    sessionStorage.removeItem("zhucan-key");
    $("result").hidden = true;
    $("code").value = code;
    signedIn(keyRefusals[status]);
    return;
  }
  // Only an answer that carries a verdict says valid or not valid.
  if (status !== 200 || typeof answer.valid !== "boolean") {
    notChecked(code, ...unchecked(status, answer, retryAfter, service));
    return;
  }
  current = { code, service: service || (answer.services || [])[0] };
  show(answer);
  $("code").focus();
}

async function redeem() {
  // One request per shown code: a double click, or a scanner's Enter landing on the button,
  // would otherwise send a second redemption whose "already redeemed" replaced the first's
  // "redeemed" for the holder's own, legitimate, use.
  const target = current;
  if (!target) return;
  current = null;
  $("redeem").hidden = true;
  $("redeemed").textContent = "核销中… / redeeming…";
  const scan = scans;
  let status = 0, answer, reached = true;
  try {
    ({ status, answer } = await post("/v1/redeem", { code: target.code, service: target.service }));
  } catch (error) {
    reached = false;
    answer = { detail: "无法连接核验服务，未核销，请再按核销 / cannot reach the verification service: not redeemed, press Redeem again" };
  }
  if (scan !== scans) return;  // the next person was scanned meanwhile
  if (status === 401) answer = { detail: "密钥无效，未核销 / key not accepted: not redeemed" };
  if (status === 403) answer = { detail: "该密钥无核销权限（需 redeem 权限），未核销 / this key has no redeem scope: not redeemed" };
  $("redeemed").textContent = answer.redeemed
    ? "✔ 已核销 / redeemed"
    : answer.reason === "already_redeemed" ? "✘ 此码已核销过，不能再用 / already redeemed: this code was used before" : "✘ " + (answer.detail || answer.message || "");
  if (!reached) {
    // Nothing was redeemed: the same code may be tried again.
    current = target;
    $("redeem").hidden = false;
  }
  $("code").focus();
}

function applyDisplay() {
  document.documentElement.classList.toggle("large-text", $("large-text").checked);
  document.documentElement.classList.toggle("high-contrast", $("high-contrast").checked);
}

// Why the service will not take `key` for verifying, or null when it will: asked at sign-in,
// so that a mistyped key is said before the first holder's code is scanned. `keyAtFault` is
// false when the service could not say.
async function keyRefusal(key) {
  // A key is zk_, an id and a secret in base64url: anything else cannot be one (and a
  // character beyond Latin-1 would make the request itself fail, as if the network had).
  if (!/^[\x21-\x7e]+$/.test(key)) return { message: keyRefusals[401], keyAtFault: true };
  let response;
  const abort = new AbortController(), timer = setTimeout(() => abort.abort(), 10000);
  try {
    response = await fetch("/v1/api-key", { headers: { Authorization: "Bearer " + key }, signal: abort.signal });
  } catch (error) {
    return {
      message: abort.signal.aborted
        ? "核验服务未及时答复，请稍后再登录 / the verification service did not answer in time: sign in again shortly"
        : "无法连接核验服务，请检查网络后再登录 / cannot reach the verification service: check the network, then sign in",
      keyAtFault: false,
    };
  }
  clearTimeout(timer);
  if (response.status === 401) return { message: keyRefusals[401], keyAtFault: true };
  if (response.status !== 200) {
    return {
      message: "暂时无法核对密钥（" + response.status + "），请稍后再登录 / the key cannot be checked now (" + response.status + "): sign in again shortly",
      keyAtFault: false,
    };
  }
  const answer = await response.json().catch(() => ({}));
  return (answer.scopes || []).includes("verify") ? null : { message: keyRefusals[403], keyAtFault: true };
}

$("sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  const key = $("api-key").value.trim();
  const button = $("sign-in").querySelector("button");
  button.disabled = true;
  $("sign-in-checking").textContent = "正在核对密钥… / checking the key…";
  const refusal = await keyRefusal(key);
  button.disabled = false;
  $("sign-in-checking").textContent = "";
  if (refusal) {
    signedIn(refusal.message, refusal.keyAtFault);
    $("api-key").select();  // typing replaces the refused key
    return;
  }
  sessionStorage.setItem("zhucan-key", key);
  $("api-key").value = "";
  $("window-service").value = sessionStorage.getItem("zhucan-service") || "";
  signedIn();
});
$("sign-out").addEventListener("click", () => {
  sessionStorage.removeItem("zhucan-key");
  $("result").hidden = true;
  $("code").value = "";
  signedIn();
});
$("scan").addEventListener("submit", check);
$("redeem").addEventListener("click", redeem);
$("large-text").addEventListener("change", applyDisplay);
$("high-contrast").addEventListener("change", applyDisplay);
$("window-service").value = sessionStorage.getItem("zhucan-service") || "";
signedIn();  // the sign-in form is hidden until now: without a script it could not work
