// The holder's page: a device key made here (WebCrypto ECDSA P-256, non-extractable, kept in
// IndexedDB), every request proved with it (DPoP, RFC 9449), codes shown as QR symbols and
// renewed before they expire. No cookie and no password carry identity.
"use strict";

const STORE = "zhucan-holder", KEYS = "keys";
const $ = (id) => document.getElementById(id);
// `codeRequests` numbers each identity code asked for: only the answer to the latest is shown,
// so a slow answer asked with "show category" ticked cannot replace the one asked without.
let keys = null, timer = null, lastAnnounced = null, codeRequests = 0;

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

async function call(method, path, body) {
  const headers = { DPoP: await proof(method, path) };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  return { status: response.status, answer, retryAfter: Number(response.headers.get("Retry-After")) || 0 };
}

function say(text, good) {
  const status = $("status");
  status.textContent = text;
  status.className = "state " + (good ? "good" : "bad");
}

function showState(state) {
  say(state.stateText, state.state === "active");
  // A service code shown before is for the state before: a revoked device, or the certificate
  // of an earlier enrolment, must not keep it on screen.
  $("service-section").hidden = true;
  $("service-qr").replaceChildren();
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
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "出示服务码 / Show service code";
    button.setAttribute("aria-label", "出示服务码：" + service.name);
    button.addEventListener("click", () => showServiceCode(service));
    item.append(name, english, basis, button);
    list.append(item);
  }
  if (!active) stopRenewal();
}

function stopRenewal() {
  if (timer) clearInterval(timer);
  timer = null;
  $("qr").replaceChildren();
}

async function showIdentityCode() {
  const request = ++codeRequests;
  const { status, answer } = await call("POST", "/v1/holder/codes/identity", { showCategory: $("show-category").checked });
  if (request !== codeRequests) return;  // asked again meanwhile
  if (status !== 200) return refresh();
  $("qr").innerHTML = answer.qrSVG;  // the service's own SVG of the code
  $("qr").setAttribute("aria-label", answer.label);
  $("qr-label").textContent = answer.label;
  const expires = Date.parse(answer.expiresAt);
  if (timer) clearInterval(timer);
  lastAnnounced = null;
  const tick = () => {
    const left = Math.max(0, Math.round((expires - Date.now()) / 1000));
    $("countdown").textContent = "剩余 " + left + " 秒 / " + left + " s left";
    const minutes = Math.ceil(left / 60);
    // Announced to screen readers at most once a minute.
    if (minutes !== lastAnnounced) {
      lastAnnounced = minutes;
      $("countdown-announce").textContent = "身份码还可使用约 " + minutes + " 分钟";
    }
    if (left <= 15) { clearInterval(timer); timer = null; showIdentityCode(); }
  };
  tick();
  timer = setInterval(tick, 1000);
}

async function showServiceCode(service) {
  const { status, answer } = await call("POST", "/v1/holder/codes/service", { service: service.id });
  if (status !== 200) { say(answer.message || "无法出示服务码 / cannot show the service code", false); return; }
  $("service-qr").innerHTML = answer.qrSVG;
  $("service-qr").setAttribute("aria-label", service.name + " " + answer.label);
  $("service-label").textContent = service.name + " · " + answer.label;
  $("service-section").hidden = false;
  $("service-heading").focus();
}

let retry = null;

async function refresh() {
  if (retry) { clearTimeout(retry); retry = null; }
  const { status, answer, retryAfter } = await call("GET", "/v1/holder/state");
  if (status === 200) {
    showState(answer);
    if (answer.state === "active") await showIdentityCode();
  } else if (status === 429 || status >= 500) {
    // Too many requests, or the service is unwell: the device is still enrolled.
    stopRenewal();
    say((answer.message || "") + " 请稍候，页面会自动重试 / please wait: the page tries again by itself", false);
    retry = setTimeout(refresh, Math.min(Math.max(retryAfter, 5), 60) * 1000);
  } else {
    stopRenewal();
    say((answer.message || "") + " 请到服务窗口重新登记 / please enrol again at the service window", false);
  }
}

async function enrol(token) {
  stopRenewal();
  keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  const { status, answer } = await call("POST", "/v1/holder/device", { enrollment: token });
  history.replaceState(null, "", location.pathname);  // the link's secret leaves the address bar
  if (status !== 200) {
    keys = null;
    say("登记失败：" + (answer.message || status) + " / enrolment failed", false);
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
  const token = new URLSearchParams(location.hash.slice(1)).get("enrol");
  await begin(token);
}

function bindControls() {
  const display = JSON.parse(localStorage.getItem("zhucan-display") || "{}");
  $("large-text").checked = !!display.large;
  $("high-contrast").checked = !!display.contrast;
  applyDisplay();
  $("large-text").addEventListener("change", applyDisplay);
  $("high-contrast").addEventListener("change", applyDisplay);
  $("show-category").addEventListener("change", refresh);
  $("service-close").addEventListener("click", () => { $("service-section").hidden = true; $("code-heading").focus(); });
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
    if (token) history.replaceState(null, "", location.pathname);  // declined: the link is dropped
    keys = stored;
  }
  if (!keys) {
    say("本机尚未登记。请到服务窗口扫描登记码 / this phone is not enrolled: scan an enrolment code at the service window", false);
    return;
  }
  await refresh();
}

// A link opened in a tab that already shows this page changes only the fragment.
window.addEventListener("hashchange", () => {
  if (location.hash.includes("enrol=")) start().catch((error) => say("出错了 / something went wrong: " + error, false));
});
start().catch((error) => say("出错了 / something went wrong: " + error, false));
