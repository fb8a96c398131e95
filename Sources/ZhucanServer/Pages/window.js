// The service window's page: a USB/HID scanner types the code and Enter into one field; the
// service's answer is shown in words, Chinese then English, never by colour alone.
"use strict";

const $ = (id) => document.getElementById(id);
const relations = { guardian: "监护人 / guardian", family: "亲属 / family", caseworker: "社工 / caseworker" };
// `scans` numbers each scan: an answer is shown only if no scan came after its own, so a slow
// answer for the person before can never appear as the answer for the person at the window.
let current = null, answers = 0, scans = 0;

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: "Bearer " + sessionStorage.getItem("zhucan-key") },
    body: JSON.stringify(body),
  });
  return { status: response.status, answer: await response.json().catch(() => ({})) };
}

function signedIn() {
  const key = sessionStorage.getItem("zhucan-key");
  $("sign-in").hidden = !!key;
  $("scan").hidden = !key;
  (key ? $("code") : $("api-key")).focus();
}

function show(report) {
  $("result").hidden = false;
  $("verdict").textContent = report.valid ? "✔ 有效 / valid" : "✘ 无效 / not valid";
  $("verdict").className = "verdict " + (report.valid ? "good" : "bad");
  $("reason").textContent = (report.reasonText || report.reason) + (report.detail ? "（" + report.detail + "）" : "");
  $("holder").textContent = report.holder && report.holder.name ? report.holder.name : "—";
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
  let status, answer;
  try {
    ({ status, answer } = await post("/v1/verify", service ? { code, service } : { code }));
  } catch (error) {
    if (scan !== scans) return;
    show({ valid: false, reason: "network", reasonText: "无法连接核验服务，请重新扫码 / cannot reach the verification service: scan again", detail: "" });
    $("code").focus();
    return;
  }
  if (scan !== scans) return;
  if (status === 401 || status === 403) {
    sessionStorage.removeItem("zhucan-key");
    $("window-service").value = sessionStorage.getItem("zhucan-service") || "";
    signedIn();
    $("result").hidden = true;
    return;
  }
  current = { code, service: service || (answer.services || [])[0] };
  if (status !== 200) {
    show({ valid: false, reason: answer.error, detail: answer.message || String(status) });
  } else {
    show(answer);
  }
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
  let answer, reached = true;
  try {
    ({ answer } = await post("/v1/redeem", { code: target.code, service: target.service }));
  } catch (error) {
    reached = false;
    answer = { detail: "无法连接核验服务，未核销，请再按核销 / cannot reach the verification service: not redeemed, press Redeem again" };
  }
  if (scan !== scans) return;  // the next person was scanned meanwhile
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

$("sign-in").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem("zhucan-key", $("api-key").value.trim());
  $("api-key").value = "";
  $("window-service").value = sessionStorage.getItem("zhucan-service") || "";
  signedIn();
});
$("sign-out").addEventListener("click", () => { sessionStorage.removeItem("zhucan-key"); $("result").hidden = true; signedIn(); });
$("scan").addEventListener("submit", check);
$("redeem").addEventListener("click", redeem);
$("large-text").addEventListener("change", applyDisplay);
$("high-contrast").addEventListener("change", applyDisplay);
$("window-service").value = sessionStorage.getItem("zhucan-service") || "";
signedIn();
