"""The people's pages in real headless Chromium (Selenium), checked with axe-core.

Run by Scripts/browser-tests.sh (make test), with ZHUCAN set to the built binary. Each test
drives the pages as their people do: the holder opens an enrolment link on a phone-sized
window; the window clerk signs in and a scanner types codes and Enter.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

ZHUCAN = os.environ.get("ZHUCAN", ".build/debug/zhucan")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HOLDER = "36012119701121001343"
OTHER = "11010519491231002X12"
AXE_COUNTS = []
AXE_VERSION = ["?"]


def zhucan(*arguments, folder, check=True):
    result = subprocess.run([ZHUCAN, *arguments], cwd=folder, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"zhucan {' '.join(arguments)}: {result.stderr}")
    return result


class Service:
    """A demo workspace with two certificates, the catalogue, and `zhucan serve` on a free port."""

    def __init__(self, identity_seconds=25):
        self.folder = tempfile.mkdtemp(prefix="zhucan-pages-")
        zhucan("init", "--demo", "--dir", "ws", "--keys-dir", os.path.join(ROOT, "keys"), folder=self.folder)
        config_path = os.path.join(self.folder, "ws", "config.json")
        with open(config_path) as file:
            config = json.load(file)
        config["identityCodeSeconds"] = identity_seconds  # the page renews 15 s before expiry: with 25, within 10 s
        with open(config_path, "w") as file:
            json.dump(config, file)
        zhucan("issue", "--dir", "ws", "--name", "王小明", "--id-number", "360121197011210013", "--category", "4",
               "--level", "3", "--region", "330482", folder=self.folder)
        zhucan("issue", "--dir", "ws", "--name", "李小红", "--id-number", "11010519491231002X", "--category", "1",
               "--level", "2", "--region", "330482", folder=self.folder)
        resources = os.path.join(ROOT, "Sources/ZhucanCatalogue/Resources")
        zhucan("catalogue", "publish", "--dir", "ws", "--in", os.path.join(resources, "pinghu-catalogue.json"), folder=self.folder)
        # The 2027 edition, its end moved far out so that the pages show benefits in any later year.
        with open(os.path.join(resources, "pinghu-catalogue-2027.json"), encoding="utf-8") as file:
            text = file.read().replace('"validUntil": "2027-12-31"', '"validUntil": "2099-12-31"', 1)
        with open(os.path.join(self.folder, "catalogue-2027.json"), "w", encoding="utf-8") as file:
            file.write(text)
        zhucan("catalogue", "publish", "--dir", "ws", "--in", "catalogue-2027.json",
               "--tests", os.path.join(resources, "pinghu-catalogue-2027.tests.json"), folder=self.folder)
        self.key = zhucan("apikey", "create", "--dir", "ws", "--name", "window", "--scope", "verify", "--scope", "redeem",
                          folder=self.folder).stdout.strip()
        self.log = open(os.path.join(self.folder, "serve.log"), "w")
        self.process = subprocess.Popen([ZHUCAN, "serve", "--dir", "ws", "--port", "0", "--log-level", "info"],
                                        cwd=self.folder, stderr=self.log, stdout=subprocess.DEVNULL)
        self.port = None
        for _ in range(300):
            with open(os.path.join(self.folder, "serve.log")) as file:
                found = re.search(r"listening on 127\.0\.0\.1:(\d+)", file.read())
            if found:
                self.port = int(found.group(1))
                break
            time.sleep(0.1)
        if not self.port:
            raise AssertionError("zhucan serve did not start")
        self.base = f"http://127.0.0.1:{self.port}"

    def enrol(self, certificate=HOLDER, *agent):
        return zhucan("holder", "enroll", "--dir", "ws", "--certificate", certificate, "--base-url", self.base, *agent,
                      folder=self.folder).stdout.strip()

    def verify(self, code, *options):
        return zhucan("verify", code, "--dir", "ws", "--json", *options, folder=self.folder, check=False)

    def stop(self):
        self.process.terminate()
        self.process.wait(10)
        self.log.close()
        if not os.environ.get("KEEP"): shutil.rmtree(self.folder, ignore_errors=True)


def browser(width=412, height=915, javascript=True):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                     "--lang=zh-CN", "--force-device-scale-factor=2"):
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_script_timeout(60)
    return driver


def wait(driver, condition, seconds=20):
    return WebDriverWait(driver, seconds).until(lambda _: condition())


def axe_check(driver, state):
    """Every axe-core rule on the page as it is now; none of impact serious or critical may fail."""
    Axe(driver).inject()  # the axe-core that axe-selenium-python ships
    results = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then((r) => done({version: axe.version, violations: r.violations}), (e) => done({error: String(e)}));")
    assert "error" not in results, f"{state}: axe-core failed: {results.get('error')}"
    AXE_VERSION[0] = results["version"]
    serious = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    AXE_COUNTS.append((state, len(results["violations"]), len(serious)))
    assert not serious, f"{state}: " + "; ".join(f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in serious)


def decode_qr(driver, element_id, folder):
    path = os.path.join(folder, f"{element_id}-{time.time()}.png")
    element = driver.find_element(By.ID, element_id)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.screenshot(path)
    result = subprocess.run(["zbarimg", "--raw", "-q", "--nodbus", "-Sdisable", "-Sqrcode.enable", path], capture_output=True, text=True)
    assert result.returncode == 0, f"zbarimg found no code in {path}"
    return result.stdout.strip()


class HolderPageTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.service = Service()

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()

    def setUp(self):
        self.driver = browser()

    def tearDown(self):
        self.driver.quit()

    def qr_shown(self):
        return self.driver.find_element(By.CSS_SELECTOR, "#qr svg") if self.driver.find_elements(By.CSS_SELECTOR, "#qr svg") else None

    def test_enrol_show_verify_renew_and_revoke(self):
        link = self.service.enrol()
        started = time.monotonic()
        self.driver.get(link)
        wait(self.driver, self.qr_shown)
        print(f"\nfrom opening the enrolment link to a QR code on screen: {time.monotonic() - started:.2f} s")
        self.assertNotIn("enrol", self.driver.current_url, "the link's secret leaves the address bar")
        label = self.driver.find_element(By.ID, "qr").get_attribute("aria-label")
        self.assertRegex(label, r"^身份码，有效至 \d\d:\d\d$")
        code = decode_qr(self.driver, "qr", self.service.folder)
        verified = self.service.verify(code)
        self.assertEqual(verified.returncode, 0, verified.stdout)
        self.assertEqual(json.loads(verified.stdout)["type"], "identity_code")
        axe_check(self.driver, "holder: code shown")
        self.driver.find_element(By.ID, "large-text").click()
        axe_check(self.driver, "holder: large text")
        self.driver.find_element(By.ID, "high-contrast").click()
        axe_check(self.driver, "holder: high contrast")

        # After the code's expiry (25 s, renewed 15 s before) the page shows a new one.
        first = self.driver.find_element(By.ID, "qr").get_attribute("innerHTML")
        wait(self.driver, lambda: self.driver.find_element(By.ID, "qr").get_attribute("innerHTML") not in ("", first), 30)
        renewed = decode_qr(self.driver, "qr", self.service.folder)
        self.assertNotEqual(renewed, code)
        self.assertEqual(self.service.verify(renewed).returncode, 0)

        # An entitlement's service code.
        buttons = self.driver.find_elements(By.CSS_SELECTOR, "#entitlements button")
        self.assertTrue(buttons, "entitlements are listed with a button each")
        buttons[0].click()
        wait(self.driver, lambda: self.driver.find_elements(By.CSS_SELECTOR, "#service-qr svg"))
        service_code = decode_qr(self.driver, "service-qr", self.service.folder)
        self.assertEqual(json.loads(self.service.verify(service_code).stdout)["type"], "service_code")

        # The device revoked at the window: 此设备已停用, and no code.
        device = self.driver.find_element(By.ID, "device").text
        devices = zhucan("holder", "devices", "--dir", "ws", "--certificate", HOLDER, folder=self.service.folder).stdout
        self.assertIn(device, devices, "the page shows the id the window lists")
        # Enrolled with `zhucan holder enroll`: the window sees who made the link, and the page
        # names every phone that shows the certificate.
        self.assertIn("\tcli:", devices, "the window sees who made the link")
        live = [line for line in devices.splitlines()[1:] if line.split("\t")[3] == "-"]
        shown = self.driver.find_element(By.ID, "devices").text
        if len(live) == 1:
            self.assertEqual(shown, "仅本机 / this phone only")
        else:
            self.assertTrue(shown.startswith(f"{len(live)} 台（含本机）；如有您不认识的设备，请到服务窗口停用"), shown)
        zhucan("holder", "revoke-device", "--dir", "ws", "--device", device, "--reason", "phone lost", folder=self.service.folder)
        # Without a reload: the next renewal finds the device revoked, and the service code
        # on screen goes with the identity code (it used to stay until it expired).
        wait(self.driver, lambda: "此设备已停用" in self.driver.find_element(By.ID, "status").text, 30)
        self.assertFalse(self.driver.find_element(By.ID, "service-section").is_displayed(), "no service code after revocation")
        self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, "#service-qr svg"))
        self.driver.refresh()
        wait(self.driver, lambda: "此设备已停用" in self.driver.find_element(By.ID, "status").text)
        self.assertFalse(self.driver.find_element(By.ID, "code-section").is_displayed())
        self.assertFalse(self.driver.find_element(By.ID, "brief-section").is_displayed(), "a lost phone shows nothing of the certificate")
        axe_check(self.driver, "holder: device revoked")

    def test_not_enrolled_and_zoomed(self):
        self.driver.get(self.service.base + "/holder/")
        wait(self.driver, lambda: "尚未登记" in self.driver.find_element(By.ID, "status").text)
        axe_check(self.driver, "holder: not enrolled (empty)")
        link = self.service.enrol()
        self.driver.get(link)
        wait(self.driver, self.qr_shown)
        # WCAG 1.4.4 and 1.4.10: at 200% of a 640 px window (320 CSS px, the reflow reference
        # width) the page reflows: no horizontal scrolling, the QR code whole.
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 320, "height": 800, "deviceScaleFactor": 2, "mobile": False})
        overflow = self.driver.execute_script(
            "const w = document.documentElement.clientWidth;"
            "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)"
            ".map(e => e.tagName + '#' + e.id).slice(0, 5);")
        self.assertEqual(overflow, [], "no horizontal scrolling at 320 CSS px (200% of 640 px)")
        axe_check(self.driver, "holder: 200% zoom")

    def test_without_javascript_the_pages_say_so(self):
        other = browser(javascript=False)
        try:
            for page in ("/holder/", "/window"):
                other.get(self.service.base + page)
                main = other.find_element(By.ID, "main").text
                self.assertIn("本页面需要 JavaScript", main, page)
                self.assertIn("This page needs JavaScript", main, page)
                self.assertNotIn("正在加载", main, f"{page}: loading for ever")
                self.assertNotIn("登录", main, f"{page}: a sign-in form that cannot work")
        finally:
            other.quit()

    def test_link_works_once(self):
        link = self.service.enrol()
        self.driver.get(link)
        wait(self.driver, self.qr_shown)
        other = browser()
        try:
            other.get(link)
            wait(other, lambda: "登记失败" in other.find_element(By.ID, "status").text)
            self.assertIn("used already", other.find_element(By.ID, "status").text)
            self.assertFalse(other.find_elements(By.CSS_SELECTOR, "#qr svg"))
        finally:
            other.quit()

    def test_too_many_requests_is_no_reason_to_enrol_again(self):
        link = self.service.enrol()
        self.driver.get(link)
        wait(self.driver, self.qr_shown)
        box = self.driver.find_element(By.ID, "show-category")
        # Each change asks for the state (and a new code, unless the next change came first):
        # the device's 60 requests a minute run out.
        for _ in range(70):
            box.click()
        wait(self.driver, lambda: "自动重试" in self.driver.find_element(By.ID, "status").text)
        self.assertNotIn("重新登记", self.driver.find_element(By.ID, "status").text, "the device is still enrolled")
        axe_check(self.driver, "holder: too many requests")

    def test_a_slow_code_never_shows_the_category_the_holder_took_back(self):
        link = self.service.enrol()
        self.driver.get(link)
        wait(self.driver, self.qr_shown)
        # The code asked for with the category shown is held back 1.5 s, as on a slow network;
        # the holder unticks the box meanwhile, and that code must not replace the later one.
        self.driver.execute_script("""
            const real = window.fetch;
            window.fetch = (path, options) => {
              const answer = real(path, options);
              const slow = path.endsWith("/codes/identity") && options.body.includes('"showCategory":true');
              return slow ? new Promise((resolve) => setTimeout(() => resolve(answer), 1500)) : answer;
            };""")
        box = self.driver.find_element(By.ID, "show-category")
        box.click()
        time.sleep(0.3)
        box.click()
        time.sleep(3)
        self.assertFalse(box.is_selected())
        report = json.loads(self.service.verify(decode_qr(self.driver, "qr", self.service.folder)).stdout)
        self.assertNotIn("category", report["holder"], "the code on screen discloses the category the holder took back")

    def test_an_enrolled_phone_asks_before_a_link_replaces_its_enrolment(self):
        self.driver.get(self.service.enrol())
        wait(self.driver, self.qr_shown)
        # Someone sends this phone a genuine link of their own: declined, nothing changes.
        self.driver.get(self.service.enrol(OTHER))
        alert = WebDriverWait(self.driver, 10).until(expected_conditions.alert_is_present())
        self.assertIn("已登记", alert.text)
        alert.dismiss()
        wait(self.driver, lambda: "王*明" in self.driver.find_element(By.ID, "holder").text)
        self.assertNotIn("enrol", self.driver.current_url, "a declined link leaves the address bar too")
        wait(self.driver, self.qr_shown)
        # Accepted, the phone is enrolled for the other certificate, and nothing of the first remains.
        self.driver.get(self.service.enrol(OTHER))
        WebDriverWait(self.driver, 10).until(expected_conditions.alert_is_present()).accept()
        wait(self.driver, lambda: "李*红" in self.driver.find_element(By.ID, "holder").text)
        wait(self.driver, self.qr_shown)
        report = json.loads(self.service.verify(decode_qr(self.driver, "qr", self.service.folder)).stdout)
        self.assertEqual(report["holder"]["name"], "李*红")

    def test_suspended_certificate(self):
        link = self.service.enrol(OTHER)
        self.driver.get(link)
        wait(self.driver, self.qr_shown)
        zhucan("suspend", "--dir", "ws", "--certificate", OTHER, "--reason", "review", folder=self.service.folder)
        try:
            self.driver.refresh()
            wait(self.driver, lambda: "证件已暂停" in self.driver.find_element(By.ID, "status").text)
            self.assertFalse(self.driver.find_element(By.ID, "code-section").is_displayed())
            self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, "#qr svg"))
            axe_check(self.driver, "holder: suspended")
        finally:
            zhucan("reinstate", "--dir", "ws", "--certificate", OTHER, "--reason", "review done", folder=self.service.folder)

    def test_agent_codes_name_the_agent(self):
        link = self.service.enrol(HOLDER, "--agent-name", "张三丰", "--agent-id-number", "11010519491231002X", "--relation", "guardian")
        self.driver.get(link)
        wait(self.driver, self.qr_shown)
        self.assertIn("监护人", self.driver.find_element(By.ID, "agent").text)
        code = decode_qr(self.driver, "qr", self.service.folder)
        report = json.loads(self.service.verify(code).stdout)
        self.assertEqual(report["agent"]["relation"], "guardian")
        self.assertNotEqual(report["agent"]["name"], "张三丰")
        human = zhucan("verify", code, "--dir", "ws", folder=self.service.folder).stdout
        self.assertIn("代办人 / agent: ", human)
        self.assertIn("(监护人 / guardian)", human)

    def offline(self, offline):
        """Chromium's own network emulation (DevTools): every request of the page fails, as on a bus."""
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                                    {"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})

    def test_a_lost_connection_never_leaves_an_expired_code_on_screen(self):
        self.driver.get(self.service.enrol())
        wait(self.driver, self.qr_shown)
        first = self.driver.find_element(By.ID, "qr").get_attribute("innerHTML")
        self.offline(True)
        try:
            # A service code asked for offline: said beside the button, not nothing.
            button = self.driver.find_elements(By.CSS_SELECTOR, "#entitlements button")[0]
            button.click()
            note = button.find_element(By.XPATH, "following-sibling::p[@role='status']")
            wait(self.driver, lambda: "网络不通" in note.text)
            self.assertFalse(self.driver.find_element(By.ID, "service-section").is_displayed())
            # The renewal (10 s in) fails and is retried; at the expiry (25 s) the code leaves the
            # screen, and the live region says why: an expired code is never shown as valid.
            status = self.driver.find_element(By.ID, "status")
            wait(self.driver, lambda: "身份码已过期" in status.text, 30)
            self.assertIn("code expired, reconnecting", status.text)
            self.assertNotIn("证件有效", status.text)
            self.assertFalse(self.qr_shown())
            self.assertFalse(self.driver.find_element(By.ID, "qr").is_displayed(), "no image named 身份码，有效至… is left")
            self.assertEqual(self.driver.find_element(By.ID, "countdown").text, "")
            axe_check(self.driver, "holder: offline, code expired")
        finally:
            self.offline(False)
        # Back online: a fresh code without a reload, and the state in words again.
        wait(self.driver, self.qr_shown, 30)
        self.assertNotEqual(self.driver.find_element(By.ID, "qr").get_attribute("innerHTML"), first)
        self.assertEqual(self.service.verify(decode_qr(self.driver, "qr", self.service.folder)).returncode, 0)
        wait(self.driver, lambda: "证件有效" in self.driver.find_element(By.ID, "status").text)

    def test_a_failed_registration_leaves_no_secret_in_the_address_bar(self):
        link = self.service.enrol()
        # The registration never reaches the service (the page itself loads).
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/v1/holder/device"]})
        self.driver.get(link)
        status = self.driver.find_element(By.ID, "status")
        wait(self.driver, lambda: "登记失败" in status.text)
        self.assertIn("网络不通，请稍后再试 / no connection, try again", status.text)
        self.assertNotIn("TypeError", status.text)
        self.assertNotIn("enrol", self.driver.current_url, "the link's secret left the address bar before the request")
        self.assertEqual(self.driver.execute_script("return location.hash"), "")
        axe_check(self.driver, "holder: enrolment failed, offline")
        # Nothing reached the service, so the link was not spent: opened again, it enrols.
        self.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
        self.driver.get(link)
        wait(self.driver, self.qr_shown)

    def test_service_code_buttons_and_an_expired_service_code(self):
        self.driver.get(self.service.enrol())
        wait(self.driver, self.qr_shown)
        # WCAG 2.5.3 (label in name): each button's accessible name begins with the words on it,
        # and names its service.
        buttons = self.driver.find_elements(By.CSS_SELECTOR, "#entitlements button")
        self.assertGreater(len(buttons), 1)
        services = [item.find_element(By.TAG_NAME, "strong").text for item in self.driver.find_elements(By.CSS_SELECTOR, "#entitlements li")]
        for button, service in zip(buttons, services):
            self.assertTrue(button.text.startswith("出示服务码 / Show service code"), button.text)
            self.assertTrue(button.accessible_name.startswith("出示服务码 / Show service code"), button.accessible_name)
            self.assertIn(service, button.accessible_name)
        # Each benefit says what its service code shows the verifier, before it is shown.
        items = {item.find_element(By.TAG_NAME, "strong").text: item.text for item in self.driver.find_elements(By.CSS_SELECTOR, "#entitlements li")}
        self.assertIn("出示此码即向核验方出示 / this code shows the verifier: 残疾类别、残疾等级", items["免费乘坐城市、城乡公共交通"])
        # A service code that lives 3 s (the answer's expiresIn cut short in the page): at its
        # expiry it leaves the screen, and a button shows a new one.
        self.driver.execute_script("""
            const real = window.fetch;
            window.fetch = async (path, options) => {
              const response = await real(path, options);
              if (!path.endsWith("/codes/service") || response.status !== 200) return response;
              const answer = await response.json();
              answer.expiresIn = 3;
              return new Response(JSON.stringify(answer), {status: 200, headers: {"Content-Type": "application/json"}});
            };""")
        buttons[0].click()
        wait(self.driver, lambda: self.driver.find_elements(By.CSS_SELECTOR, "#service-qr svg"))
        wait(self.driver, lambda: "已过期" in self.driver.find_element(By.ID, "service-status").text, 10)
        self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, "#service-qr svg"))
        self.assertEqual(self.driver.find_element(By.ID, "service-label").text, "")
        again = self.driver.find_element(By.ID, "service-again")
        self.assertTrue(again.is_displayed())
        axe_check(self.driver, "holder: service code expired")
        again.click()
        wait(self.driver, lambda: self.driver.find_elements(By.CSS_SELECTOR, "#service-qr svg"))
        self.assertFalse(again.is_displayed())
        self.assertEqual(json.loads(self.service.verify(decode_qr(self.driver, "service-qr", self.service.folder)).stdout)["type"], "service_code")


class ShortCodeTests(unittest.TestCase):
    """Codes the service gives shorter than the page's renewal lead (15 s): as in the last seconds of
    a certificate's last day, when a code lives only to midnight."""

    def test_a_code_shorter_than_the_renewal_lead_is_renewed_at_its_expiry_not_at_once_and_again(self):
        service = Service(identity_seconds=5)
        driver = browser()
        try:
            driver.get(service.enrol())
            wait(driver, lambda: driver.find_elements(By.CSS_SELECTOR, "#qr svg"))
            log = os.path.join(service.folder, "serve.log")
            with open(log) as file:
                before = file.read().count("/v1/holder/codes/identity")
            time.sleep(8)
            with open(log) as file:
                minted = file.read().count("/v1/holder/codes/identity") - before
            # One at each expiry: two or three in 8 s. Renewed as soon as 15 s or less was left,
            # it had been one a second until the device's 60 a minute ran out.
            self.assertLessEqual(minted, 3, f"{minted} identity codes in 8 s")
            self.assertGreaterEqual(minted, 1, "renewed at the expiry")
            wait(driver, lambda: driver.find_elements(By.CSS_SELECTOR, "#qr svg"))
        finally:
            driver.quit()
            service.stop()


class WindowPageTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.service = Service()

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()

    def setUp(self):
        self.driver = browser(1280, 900)
        self.driver.get(self.service.base + "/window")
        axe_check(self.driver, "window: sign in")
        self.driver.find_element(By.ID, "api-key").send_keys(self.service.key + Keys.ENTER)
        wait(self.driver, lambda: self.driver.find_element(By.ID, "code").is_displayed())

    def tearDown(self):
        self.driver.quit()

    def scan(self, code):
        field = self.driver.find_element(By.ID, "code")
        self.assertEqual(self.driver.switch_to.active_element, field, "the scan field has the focus")
        before = self.driver.find_element(By.ID, "result").get_attribute("data-answer") or ""
        field.send_keys(code + Keys.ENTER)  # a USB/HID scanner types the text, then Enter
        wait(self.driver, lambda: (self.driver.find_element(By.ID, "result").get_attribute("data-answer") or "") != before)
        return self.driver.find_element(By.ID, "verdict").text, self.driver.find_element(By.ID, "reason").text

    def mint(self, *arguments):
        return zhucan("code", *arguments, "--dir", "ws", "--certificate", HOLDER, folder=self.service.folder).stdout.strip()

    def test_verdicts_in_words(self):
        verdict, reason = self.scan(self.mint("identity"))
        self.assertIn("有效", verdict)
        self.assertIn("valid", reason)
        self.assertIn("王*明", self.driver.find_element(By.ID, "holder").text)
        self.assertIn("可以办理", self.driver.find_element(By.ID, "advice").text)
        axe_check(self.driver, "window: valid")
        code = self.mint("identity")
        tampered = code[:-6] + ("A" if code[-6] != "A" else "B") + code[-5:]
        verdict, reason = self.scan(tampered)
        self.assertIn("无效", verdict)
        self.assertIn("不能办理", self.driver.find_element(By.ID, "advice").text)
        axe_check(self.driver, "window: not valid")
        self.driver.find_element(By.ID, "window-service").send_keys("park")
        self.driver.find_element(By.ID, "code").click()
        verdict, reason = self.scan(self.mint("service", "--service", "free-bus"))
        self.assertIn("无效", verdict)
        self.assertIn("服务码不适用于本服务", reason)
        self.driver.find_element(By.ID, "window-service").clear()
        self.driver.find_element(By.ID, "code").click()

    def test_a_late_answer_never_shows_for_the_next_person(self):
        # The first answer held back 1.5 s, as on a slow network: the second scan's answer
        # comes first, and the first must not replace it when it arrives.
        self.driver.execute_script("""
            const real = window.fetch; let calls = 0;
            window.fetch = (...args) => {
              const call = ++calls, answer = real(...args);
              return call === 1 ? new Promise((resolve) => setTimeout(() => resolve(answer), 1500)) : answer;
            };""")
        field = self.driver.find_element(By.ID, "code")
        field.send_keys(self.mint("identity") + Keys.ENTER)
        verdict, _ = self.scan("ZC1:NOT-A-CODE")
        self.assertIn("无效", verdict)
        time.sleep(2.5)
        self.assertIn("无效", self.driver.find_element(By.ID, "verdict").text, "the earlier person's valid answer replaced this one")
        # The service unreachable: said in words, not as a verdict, and the last answer is not
        # left standing.
        verdict, _ = self.scan(self.mint("identity"))
        self.assertIn("有效", verdict)
        self.driver.execute_script("window.fetch = () => Promise.reject(new TypeError('network down'));")
        verdict, reason = self.scan(self.mint("identity"))
        self.assertIn("未能核验", verdict)
        self.assertNotIn("无效", verdict)
        self.assertIn("无法连接", reason)
        axe_check(self.driver, "window: service unreachable")

    def test_redeem_twice(self):
        code = self.mint("service", "--service", "free-bus", "--one-time")
        verdict, _ = self.scan(code)
        self.assertIn("有效", verdict)
        # By keyboard alone: Tab from the scan field reaches the redeem button, Enter presses it.
        redeem = self.driver.find_element(By.ID, "redeem")
        for _ in range(10):
            if self.driver.switch_to.active_element == redeem:
                break
            self.driver.switch_to.active_element.send_keys(Keys.TAB)
        self.assertEqual(self.driver.switch_to.active_element, redeem, "the redeem button is reachable with Tab")
        redeem.send_keys(Keys.ENTER)
        wait(self.driver, lambda: "已核销" in self.driver.find_element(By.ID, "redeemed").text)
        self.scan(code)
        self.driver.find_element(By.ID, "redeem").click()
        wait(self.driver, lambda: "already redeemed" in self.driver.find_element(By.ID, "redeemed").text)
        axe_check(self.driver, "window: already redeemed")

    def test_a_double_click_redeems_once_and_says_so(self):
        verdict, _ = self.scan(self.mint("service", "--service", "free-bus", "--one-time"))
        self.assertIn("有效", verdict)
        # Two presses before the first answer: one redemption, and "redeemed" stays on screen
        # (the second request's "already redeemed" used to replace it).
        self.driver.execute_script("const button = arguments[0]; button.click(); button.click();", self.driver.find_element(By.ID, "redeem"))
        wait(self.driver, lambda: "✔ 已核销" in self.driver.find_element(By.ID, "redeemed").text)
        time.sleep(1)
        self.assertIn("✔ 已核销", self.driver.find_element(By.ID, "redeemed").text)

    def test_category_and_level_when_the_holder_shows_them(self):
        self.scan(self.mint("identity", "--show-category"))
        self.assertIn("肢体残疾 / physical", self.driver.find_element(By.ID, "category").text)
        self.assertIn("三级 / level 3", self.driver.find_element(By.ID, "level").text)
        self.assertIn("残疾类别", self.driver.find_element(By.ID, "category-term").text)
        axe_check(self.driver, "window: category and level shown")
        verdict, _ = self.scan(self.mint("identity"))
        self.assertIn("有效", verdict)
        for element in ("category", "category-term", "level", "level-term"):
            self.assertFalse(self.driver.find_element(By.ID, element).is_displayed(), f"{element} without the holder's consent")

    def test_a_status_that_cannot_be_confirmed_is_no_refusal(self):
        # The service's answer when it cannot confirm the status (an expired or missing status
        # list): the clerk is told not to simply refuse, as the CLI tells its user.
        self.driver.execute_script("""
            window.fetch = async () => new Response(JSON.stringify({valid: false, reason: "status_unknown",
              reasonText: "无法确认证件状态 / certificate status cannot be confirmed",
              advice: "无法确认状态：请更新信任列表、状态列表和服务目录或联网核验，不要直接拒绝 / cannot confirm: do not simply refuse.",
              detail: "no status list for https://zhucan.example/v1/status-lists/7", holder: {name: "王*明"}}),
              {status: 200, headers: {"Content-Type": "application/json"}});""")
        verdict, reason = self.scan(self.mint("identity"))
        self.assertIn("未能核验 / could not check", verdict)
        self.assertNotIn("无效", verdict)
        self.assertIn("无法确认证件状态", reason)
        self.assertIn("不要直接拒绝", self.driver.find_element(By.ID, "advice").text)
        self.assertIn("unchecked", self.driver.find_element(By.ID, "result").get_attribute("class"))
        axe_check(self.driver, "window: status unknown")

    def test_a_code_the_service_could_not_check_gets_no_verdict(self):
        # A typo in this window's service: the service refuses the request (400) and checks
        # nothing. That is not the holder's code being refused.
        code = self.mint("identity")
        self.driver.find_element(By.ID, "window-service").send_keys("Free-Bus")
        self.driver.find_element(By.ID, "code").click()
        verdict, reason = self.scan(code)
        self.assertIn("未能核验 / could not check", verdict)
        self.assertNotIn("无效", verdict)
        self.assertIn("本窗口办理的服务", reason)
        self.assertIn("free-bus", self.driver.find_element(By.ID, "advice").text)
        self.assertIn("unchecked", self.driver.find_element(By.ID, "result").get_attribute("class"))
        self.assertFalse(self.driver.find_element(By.ID, "holder").is_displayed())
        # The code waits in its field: with the service mended, Enter checks it.
        field = self.driver.find_element(By.ID, "code")
        self.assertEqual(field.get_attribute("value"), code)
        self.assertEqual(self.driver.switch_to.active_element, field)
        axe_check(self.driver, "window: could not check")
        self.driver.find_element(By.ID, "window-service").clear()
        field.click()
        before = self.driver.find_element(By.ID, "result").get_attribute("data-answer")
        field.send_keys(Keys.ENTER)
        wait(self.driver, lambda: self.driver.find_element(By.ID, "result").get_attribute("data-answer") != before)
        self.assertIn("✔ 有效", self.driver.find_element(By.ID, "verdict").text)
        # The service unwell (503): no verdict either, and what to do.
        self.driver.execute_script("""
            window.fetch = async () => new Response(JSON.stringify({error: "store_unavailable", message: "the store did not answer"}),
              {status: 503, headers: {"Content-Type": "application/json", "Retry-After": "5"}});""")
        self.driver.find_element(By.ID, "code").clear()
        verdict, reason = self.scan(self.mint("identity"))
        self.assertIn("未能核验", verdict)
        self.assertIn("暂时不可用", reason)
        self.assertIn("重试", self.driver.find_element(By.ID, "advice").text)

    def test_a_wrong_key_is_refused_at_sign_in(self):
        lookup = zhucan("apikey", "create", "--dir", "ws", "--name", "lookup", "--scope", "lookup", folder=self.service.folder).stdout.strip()
        self.driver.find_element(By.ID, "sign-out").click()
        # A key the service does not know, one without the verify scope, and characters no key
        # has (said as a wrong key, not as the network failing).
        for key, why in (("zk_not-a-key", "密钥无效"), (lookup, "该密钥无核验权限"), ("密钥", "密钥无效")):
            field = self.driver.find_element(By.ID, "api-key")
            field.clear()
            field.send_keys(key + Keys.ENTER)
            # Told on the sign-in form, before any code is scanned.
            error = self.driver.find_element(By.ID, "sign-in-error")
            wait(self.driver, lambda: why in error.text and error.is_displayed())
            self.assertFalse(self.driver.find_element(By.ID, "scan").is_displayed())
            self.assertEqual(self.driver.switch_to.active_element, field)
            self.assertEqual(field.get_attribute("aria-invalid"), "true")
            self.assertIsNone(self.driver.execute_script('return sessionStorage.getItem("zhucan-key")'))
            axe_check(self.driver, "window: key refused at sign-in")
        # The service not reached: said, the key not marked wrong, and not signed in.
        self.driver.execute_script("window.realFetch = window.fetch; window.fetch = () => Promise.reject(new TypeError('network down'));")
        field = self.driver.find_element(By.ID, "api-key")
        field.clear()
        field.send_keys(self.service.key + Keys.ENTER)
        error = self.driver.find_element(By.ID, "sign-in-error")
        wait(self.driver, lambda: "无法连接核验服务" in error.text)
        self.assertIsNone(field.get_attribute("aria-invalid"))
        self.assertFalse(self.driver.find_element(By.ID, "scan").is_displayed())
        self.assertEqual(self.driver.find_element(By.ID, "sign-in-checking").text, "")
        self.driver.execute_script("window.fetch = window.realFetch;")
        self.driver.find_element(By.ID, "api-key").clear()
        self.driver.find_element(By.ID, "api-key").send_keys(self.service.key + Keys.ENTER)
        wait(self.driver, lambda: self.driver.find_element(By.ID, "code").is_displayed())
        self.assertFalse(self.driver.find_element(By.ID, "sign-in-error").is_displayed())
        self.assertEqual(self.driver.find_element(By.ID, "api-key").get_attribute("value"), "")

    def test_a_key_revoked_after_sign_in_says_why_and_keeps_the_code(self):
        key = zhucan("apikey", "create", "--dir", "ws", "--name", "revoked", "--scope", "verify", folder=self.service.folder).stdout.strip()
        code = self.mint("identity")
        self.driver.find_element(By.ID, "sign-out").click()
        self.driver.find_element(By.ID, "api-key").send_keys(key + Keys.ENTER)
        wait(self.driver, lambda: self.driver.find_element(By.ID, "code").is_displayed())
        zhucan("apikey", "revoke", "--dir", "ws", "--id", key.split("_")[1], folder=self.service.folder)
        time.sleep(1.5)  # the service's key cache: 1 s by default
        self.driver.find_element(By.ID, "code").send_keys(code + Keys.ENTER)
        # Back on the sign-in form, told why, the key field focused.
        error = self.driver.find_element(By.ID, "sign-in-error")
        wait(self.driver, lambda: error.is_displayed())
        self.assertIn("密钥无效", error.text)
        self.assertEqual(self.driver.switch_to.active_element, self.driver.find_element(By.ID, "api-key"))
        axe_check(self.driver, "window: key refused at a scan")
        # Signed in with the right key, the scanned code is still in its field.
        self.driver.find_element(By.ID, "api-key").send_keys(self.service.key + Keys.ENTER)
        wait(self.driver, lambda: self.driver.find_element(By.ID, "code").is_displayed())
        self.assertFalse(self.driver.find_element(By.ID, "sign-in-error").is_displayed())
        field = self.driver.find_element(By.ID, "code")
        self.assertEqual(field.get_attribute("value"), code)
        self.assertEqual(self.driver.switch_to.active_element, field)
        field.send_keys(Keys.ENTER)
        wait(self.driver, lambda: self.driver.find_element(By.ID, "result").is_displayed())
        self.assertIn("✔ 有效", self.driver.find_element(By.ID, "verdict").text)

def tearDownModule():
    print(f"\naxe-core {AXE_VERSION[0]}, every rule: state, violations, of which serious or critical")
    for state, total, serious in AXE_COUNTS:
        print(f"  {state}: {total}, {serious}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
