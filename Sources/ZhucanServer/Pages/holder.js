// The holder's page: a device key made here (WebCrypto ECDSA P-256, non-extractable, kept in
// IndexedDB), every request proved with it (DPoP, RFC 9449), codes shown as QR symbols and
// renewed before they expire. No cookie and no password carry identity.
"use strict";

const STORE = "zhucan-holder", KEYS = "keys";
const $ = (id) => document.getElementById(id);
// Said when a request never reached the service: no network on a bus or in a lift.
const OFFLINE = "网络不通，请稍后再试 / no connection, try again";
const EXPIRED = "身份码已过期，正在重新连接… / code expired, reconnecting…";
// The identity code is renewed this many seconds before it expires; a request that has not
// answered after REQUEST_SECONDS is given up (a stalled connection never answers at all).
const RENEW_BEFORE = 15, REQUEST_SECONDS = 15;
// The page's own words where the service names a state but not the holder's next step.
const STATE_WORDS = {
  superseded: "此证已换发新证，旧证不再有效。请到发证的残联或服务窗口领取新证的登记链接 / " +
    "this certificate was replaced by a new one: ask the issuing office or the service window for an enrolment link for the new one",
};
// `codeRequests` numbers each identity code asked for: only the answer to the latest is shown,
// so a slow answer asked with "show category" ticked cannot replace the one asked without.
// `refreshes` does the same for the state.
let keys = null, lastAnnounced = null, codeRequests = 0, refreshes = 0, stateText = "";
// The identity code on screen: when it expires (ms), and whether it has left the screen as
// expired. `ticker` counts down every second while one is shown or awaited; `renewing` is set
// from the moment a renewal is asked until a code is shown (or the page stops showing codes),
// and `retry` is the next attempt after a failure, `failures` how many failed in a row and
// `trouble` why, in words.
let codeExpires = 0, codeExpired = false, ticker = null, renewing = false, retry = null, failures = 0, trouble = "";
// Whether the code on screen lives no longer than the renewal lead: the service gave no longer
// one (the certificate ends within it), so a renewal would get the same, at once and again.
// Such a code is renewed at its expiry, when the state says what became of the certificate.
let renewAtExpiry = false;
// The service code on screen, and the timer that takes it off when it expires.
let shownService = null, serviceTimer = null;

function openStore() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(STORE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(KEYS);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
async function storeKeys(pair) {
  const db = await openStore();
  await new Promise((resolve, reject) => {
    const tx = db.transaction(KEYS, "readwrite");
    tx.objectStore(KEYS).put(pair, "device");
    tx.oncomplete = resolve; tx.onerror = () => reject(tx.error);
  });
}
async function loadKeys() {
  const db = await openStore();
  return new Promise((resolve, reject) => {
    const request = db.transaction(KEYS).objectStore(KEYS).get("device");
    request.onsuccess = () => resolve(request.result || null);
    request.onerror = () => reject(request.error);
  });
}

function base64url(bytes) {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
const utf8 = (text) => new TextEncoder().encode(text);

// A DPoP proof for one request (RFC 9449 §4.2): ES256 over header.payload, R || S.
async function proof(method, path) {
  const jwk = await crypto.subtle.exportKey("jwk", keys.publicKey);
  const header = { typ: "dpop+jwt", alg: "ES256", jwk: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y } };
  const payload = { jti: crypto.randomUUID(), htm: method, htu: location.origin + path, iat: Math.floor(Date.now() / 1000) };
  const input = base64url(utf8(JSON.stringify(header))) + "." + base64url(utf8(JSON.stringify(payload)));
  const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, utf8(input));
  return input + "." + base64url(new Uint8Array(signature));
}

// A request proved by the device key. One that never reached the service, or got no answer in
// REQUEST_SECONDS, is status 0 with the OFFLINE message: callers treat it as they treat a 503.
async function call(method, path, body) {
  const headers = { DPoP: await proof(method, path) };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const abort = new AbortController();
  const timeout = setTimeout(() => abort.abort(), REQUEST_SECONDS * 1000);
  try {
    const response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: abort.signal,
    });
    const answer = await response.json().catch(() => ({}));
    return { status: response.status, answer, retryAfter: Number(response.headers.get("Retry-After")) || 0 };
  } catch (error) {
    return { status: 0, answer: { message: OFFLINE }, retryAfter: 0 };
  } finally {
    clearTimeout(timeout);
  }
}

// No network, too many requests, or the service unwell: the device is still enrolled.
const passing = (status) => status === 0 || status === 429 || status >= 500;

function say(text, good) {
  const status = $("status");
  // The same words again are not announced again (a renewal every few minutes says nothing).
  if (status.textContent !== text) status.textContent = text;
  status.className = "state " + (good ? "good" : "bad");
}

// Anything that went wrong outside a request: in words, never a raw error.
function failed(error) {
  console.error(error);
  say("出错了，请重新打开本页面 / something went wrong: open this page again", false);
}

function showState(state) {
  stateText = STATE_WORDS[state.state] || state.stateText;
  say(stateText, state.state === "active");
  // A service code shown before is for the state before: a revoked device, or the certificate
  // of an earlier enrolment, must not keep it on screen.
  hideServiceCode();
  $("agent").hidden = $("agent-term").hidden = !state.agent;
  // A revoked device is told its state and nothing more of the certificate.
  $("brief-section").hidden = state.holder === undefined;
  if (state.holder === undefined) {
    $("code-section").hidden = $("entitlements-section").hidden = true;
    stopRenewal();
    return;
  }
  $("holder").textContent = state.holder;
  $("certificate").textContent = state.certificate;
  $("valid-until").textContent = state.validUntil;
  $("device").textContent = state.device;
  // Every phone enrolled for this certificate (the holder's and agents'): one the holder does
  // not know is for the window to revoke.
  $("devices").textContent = state.devices === 1
    ? "仅本机 / this phone only"
    : state.devices + " 台（含本机）；如有您不认识的设备，请到服务窗口停用 / " + state.devices +
      ", this phone included; if you do not know one of them, have the window revoke it";
  $("category").textContent = state.categoryText;
  const showCategory = $("show-category").checked;
  $("category").hidden = $("category-term").hidden = !showCategory;
  if (state.agent) {
    const relations = { guardian: "监护人 / guardian", family: "亲属 / family", caseworker: "社工 / caseworker" };
    $("agent").textContent = state.agent.name + "（" + relations[state.agent.relation] + "）";
  }
  const active = state.state === "active";
  $("code-section").hidden = !active;
  $("entitlements-section").hidden = !active || state.entitlements.length === 0;
  const list = $("entitlements");
  list.replaceChildren();
  for (const service of state.entitlements) {
    const item = document.createElement("li");
    const name = document.createElement("strong");
    name.textContent = service.name;
    const english = document.createElement("span");
    english.lang = "en";
    english.textContent = " · " + service.nameEn;
    const basis = document.createElement("p");
    basis.className = "muted";
    basis.textContent = service.department + "。依据 / basis: " + service.basis;
    // A service code carries the facts its rule reads, whatever the box above says: the
    // holder reads which before showing it.
    const shows = document.createElement("p");
    shows.className = "muted";
    shows.textContent = service.discloses
      ? "出示此码即向核验方出示 / this code shows the verifier: " + service.discloses
      : "此码只证明持证，不出示残疾类别等情况 / this code shows that you hold a certificate, and none of your facts";
    // WCAG 2.5.3 (label in name): the accessible name begins with the words on the button; the
    // service's name, out of sight, tells the buttons apart.
    const button = document.createElement("button");
    button.type = "button";
    const which = document.createElement("span");
    which.className = "visually-hidden";
    which.textContent = "：" + service.name;
    button.append("出示服务码 / Show service code", which);
    // Why a press showed nothing (no connection, too many requests), beside the button.
    const note = document.createElement("p");
    note.className = "note bad";
    note.setAttribute("role", "status");
    button.addEventListener("click", () => showServiceCode(service, note).catch(failed));
    item.append(name, english, basis, shows, button, note);
    list.append(item);
  }
  if (!active) stopRenewal();
}

// The identity code leaves the screen, its text alternative with it.
function clearIdentityCode() {
  $("qr").replaceChildren();
  $("qr").hidden = true;
  $("qr-label").textContent = "";
  $("countdown").textContent = "";
}

// No identity code any more: none on screen, none asked for (an answer still on its way is not
// shown), no renewal and no retry.
function stopRenewal() {
  if (ticker) clearInterval(ticker);
  if (retry) clearTimeout(retry);
  ticker = retry = null;
  codeRequests += 1;
  renewing = codeExpired = false;
  codeExpires = 0;
  clearIdentityCode();
}

// Once a second while a code is on screen or awaited: the countdown, the renewal when due, and
// at the expiry the code off the screen. A code the window would refuse is never shown as
// valid, whatever became of the renewal.
function tick() {
  const left = Math.max(0, Math.ceil((codeExpires - Date.now()) / 1000));
  if (left === 0) {
    if (!codeExpired) {
      codeExpired = true;
      clearIdentityCode();
      $("qr-label").textContent = EXPIRED;
      $("countdown-announce").textContent = "";
      sayTrouble();
    }
  } else {
    $("countdown").textContent = "剩余 " + left + " 秒 / " + left + " s left";
    const minutes = Math.ceil(left / 60);
    // Announced to screen readers at most once a minute.
    if (minutes !== lastAnnounced) {
      lastAnnounced = minutes;
      $("countdown-announce").textContent = "身份码还可使用约 " + minutes + " 分钟";
    }
  }
  if ((renewAtExpiry ? left === 0 : left <= RENEW_BEFORE) && !renewing) showIdentityCode().catch(failed);
}

// A failed renewal or state in words: the reason, whether the code on screen still works, and
// that the page tries again by itself.
function sayTrouble() {
  const why = trouble ? trouble + "。" : "";
  if (codeExpired) say(EXPIRED + (trouble ? " " + trouble : ""), false);
  else if (codeExpires) say(why + "当前身份码仍可使用，页面会自动重试 / the code shown still works; the page tries again by itself", false);
  else say(why + "请稍候，页面会自动重试 / please wait: the page tries again by itself", false);
}

// Asks again later: when the service says (Retry-After), else after 2, 4, 8, 16, 20, 20… s, or
// as soon as the phone is back online. A code on screen stays until it expires.
function tryAgainLater(answer, retryAfter) {
  if (retry) clearTimeout(retry);
  failures += 1;
  renewing = true;  // the retry renews
  const seconds = retryAfter > 0 ? Math.min(Math.max(retryAfter, 2), 60) : Math.min(2 ** failures, 20);
  retry = setTimeout(() => { retry = null; refresh().catch(failed); }, seconds * 1000);
  trouble = answer.message || "服务暂时不可用 / the service is unavailable";
  sayTrouble();
}

async function showIdentityCode(refusedBefore = false) {
  const request = ++codeRequests;
  renewing = true;
  const asked = Date.now();
  const { status, answer, retryAfter } = await call("POST", "/v1/holder/codes/identity", { showCategory: $("show-category").checked });
  if (request !== codeRequests) return;  // asked again meanwhile
  if (status === 200) return displayIdentityCode(answer, asked);
  if (passing(status)) return tryAgainLater(answer, retryAfter);
  // Refused: the certificate or the device changed state, and the state says how. Refused
  // again right after, the page says why and stops asking.
  stopRenewal();
  if (refusedBefore) return say(answer.message || "无法出示身份码 / cannot show the code", false);
  return refresh(true);
}

function displayIdentityCode(answer, asked) {
  if (retry) clearTimeout(retry);
  retry = null;
  failures = 0;
  trouble = "";
  renewing = codeExpired = false;
  $("qr").innerHTML = answer.qrSVG;  // the service's own SVG of the code
  $("qr").setAttribute("aria-label", answer.label);
  $("qr").hidden = false;
  $("qr-label").textContent = answer.label;
  say(stateText, true);  // "reconnecting…" gives way to the state again
  // The code's life counted on this phone's clock from when it was asked: a phone clock set
  // wrong cannot make a fresh code look expired, nor an expired one live.
  codeExpires = Number.isFinite(answer.expiresIn) ? asked + answer.expiresIn * 1000 : Date.parse(answer.expiresAt);
  renewAtExpiry = (codeExpires - asked) / 1000 <= RENEW_BEFORE;
  lastAnnounced = null;
  if (!ticker) ticker = setInterval(tick, 1000);
  tick();
}

function hideServiceCode() {
  if (serviceTimer) clearTimeout(serviceTimer);
  serviceTimer = null;
  $("service-section").hidden = true;
  $("service-qr").replaceChildren();
}

// `note` says why nothing was shown, beside the button that was pressed.
async function showServiceCode(service, note) {
  note.textContent = "";
  const asked = Date.now();
  const { status, answer } = await call("POST", "/v1/holder/codes/service", { service: service.id });
  if (status !== 200) {
    note.textContent = "✘ " + (answer.message || "无法出示服务码 / cannot show the service code");
    // The device revoked or the certificate suspended meanwhile: the state says so.
    if (status === 403 || status === 409) refresh().catch(failed);
    return;
  }
  hideServiceCode();
  shownService = service;
  $("service-qr").innerHTML = answer.qrSVG;
  $("service-qr").setAttribute("aria-label", service.name + " " + answer.label);
  $("service-qr").hidden = false;
  $("service-label").textContent = service.name + " · " + answer.label;
  $("service-status").textContent = "";
  $("service-again").hidden = true;
  $("service-section").hidden = false;
  const lifetime = Number.isFinite(answer.expiresIn) ? asked + answer.expiresIn * 1000 - Date.now() : Date.parse(answer.expiresAt) - Date.now();
  serviceTimer = setTimeout(expireServiceCode, Math.max(0, lifetime));
  $("service-heading").focus();
}

// An expired service code leaves the screen, and a button offers a new one.
function expireServiceCode() {
  serviceTimer = null;
  $("service-qr").replaceChildren();
  $("service-qr").hidden = true;
  $("service-label").textContent = "";
  $("service-status").textContent = "服务码已过期 / this service code has expired";
  $("service-again").hidden = false;
}

async function refresh(refusedBefore = false) {
  const request = ++refreshes;
  if (retry) { clearTimeout(retry); retry = null; }
  const { status, answer, retryAfter } = await call("GET", "/v1/holder/state");
  if (request !== refreshes) return;  // asked again meanwhile
  if (status === 200) {
    showState(answer);
    if (answer.state === "active") await showIdentityCode(refusedBefore);
  } else if (passing(status)) {
    tryAgainLater(answer, retryAfter);
  } else {
    stopRenewal();
    say((answer.message || "") + " 请到服务窗口重新登记 / please enrol again at the service window", false);
  }
}

async function enrol(token) {
  stopRenewal();
  keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  const { status, answer } = await call("POST", "/v1/holder/device", { enrollment: token });
  if (status !== 200) {
    keys = null;
    say("登记失败 / enrolment failed：" + (status === 0
      ? OFFLINE + "。连网后请再扫一次登记码 / scan the enrolment code again once connected"
      : answer.message || "HTTP " + status), false);
    return false;
  }
  await storeKeys(keys);
  return true;
}

function applyDisplay() {
  document.documentElement.classList.toggle("large-text", $("large-text").checked);
  document.documentElement.classList.toggle("high-contrast", $("high-contrast").checked);
  localStorage.setItem("zhucan-display", JSON.stringify({ large: $("large-text").checked, contrast: $("high-contrast").checked }));
}

let started = false;

async function start() {
  if (!started) {
    started = true;
    bindControls();
  }
  // The link's secret leaves the address bar and the history as soon as it is read, before any
  // request: a registration that fails, or never answers, must not leave it behind.
  const token = new URLSearchParams(location.hash.slice(1)).get("enrol");
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  await begin(token);
}

function bindControls() {
  const display = JSON.parse(localStorage.getItem("zhucan-display") || "{}");
  $("large-text").checked = !!display.large;
  $("high-contrast").checked = !!display.contrast;
  applyDisplay();
  $("large-text").addEventListener("change", applyDisplay);
  $("high-contrast").addEventListener("change", applyDisplay);
  // The code on screen discloses what the box said when it was asked: it goes at once.
  $("show-category").addEventListener("change", () => { stopRenewal(); refresh().catch(failed); });
  $("service-close").addEventListener("click", () => { hideServiceCode(); $("code-heading").focus(); });
  $("service-again").addEventListener("click", () => showServiceCode(shownService, $("service-status")).catch(failed));
  // Back online: the retry waiting for its turn goes now.
  window.addEventListener("online", () => {
    if (retry) { clearTimeout(retry); retry = null; refresh().catch(failed); }
  });
}

async function begin(token) {
  if (!window.crypto || !crypto.subtle || !window.indexedDB) {
    say("此浏览器不支持安全密钥（需 HTTPS）/ this browser cannot keep a device key (HTTPS is needed)", false);
    return;
  }
  const stored = await loadKeys();
  // A link enrols this phone in place of the certificate it holds only when the holder says
  // so: anyone can send a genuine link of their own, and the key it would replace is gone for
  // good (it cannot be copied out of the browser).
  if (token && (!stored || confirm(
    "本机已登记一张残疾人证。用此链接登记将替换它，原登记不能恢复。继续吗？\n" +
    "This phone is already enrolled for a certificate. This link replaces that enrolment for good. Continue?"))) {
    if (!(await enrol(token))) return;
  } else {
    keys = stored;  // no link, or the holder declined it: the link is dropped
  }
  if (!keys) {
    say("本机尚未登记。请到服务窗口扫描登记码 / this phone is not enrolled: scan an enrolment code at the service window", false);
    return;
  }
  await refresh();
}

// 正在加载… shows only once the script runs: without a script it would be said for ever, and
// the <noscript> words say what is missing instead.
document.documentElement.classList.add("js");
// A link opened in a tab that already shows this page changes only the fragment.
window.addEventListener("hashchange", () => {
  if (location.hash.includes("enrol=")) start().catch(failed);
});
start().catch(failed);
