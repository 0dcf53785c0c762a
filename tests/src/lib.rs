//! The harness of the end-to-end tests: starts tauri-driver (which starts WebKitWebDriver,
//! which starts the real Taawun binary) on free ports with a throw-away data dir, connects a
//! WebDriver client, and offers the few waits and helpers the tests need.
//!
//! Needs a display (the Makefile runs the tests under `xvfb-run`), `tauri-driver` on PATH or in
//! ~/.cargo/bin, WebKitWebDriver (Debian `webkit2gtk-driver`) and the built app (`TAAWUN_APP`,
//! default `target/debug/taawun`).

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub fn target_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::env::var_os("CARGO_TARGET_DIR").map(|p| root.join(p)).unwrap_or_else(|| root.join("target"))
}

/// The app under test: `TAAWUN_APP` (relative paths are from the workspace root), else the
/// debug build in the target dir.
fn app_binary() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::env::var_os("TAAWUN_APP").map(|p| root.join(p)).unwrap_or_else(|| target_dir().join("debug/taawun"))
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"));
    let candidate = home.join("bin/tauri-driver");
    if candidate.exists() {
        candidate
    } else {
        PathBuf::from("tauri-driver")
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// A running Taawun window with its own data dir, driven over WebDriver.
pub struct App {
    pub client: Client,
    driver: Child,
    pub data: tempfile::TempDir,
    name: String,
    shots: u32,
}

impl App {
    /// Starts the app on a fresh data dir (so the first start loads the sample records).
    pub async fn start(name: &str) -> App {
        let app = app_binary();
        assert!(app.exists(), "build the app first: {} is missing", app.display());
        let data = tempfile::tempdir().expect("temp dir");
        for sub in ["data", "config", "cache"] {
            std::fs::create_dir_all(data.path().join(sub)).expect("xdg dir");
        }
        let (port, native) = (free_port(), free_port());
        let driver = Command::new(tauri_driver())
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .env("XDG_DATA_HOME", data.path().join("data"))
            .env("XDG_CONFIG_HOME", data.path().join("config"))
            .env("XDG_CACHE_HOME", data.path().join("cache"))
            .env_remove("TAAWUN_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tauri-driver (cargo install tauri-driver --locked)");
        let caps = json!({"browserName": "wry", "tauri:options": {"application": app}});
        let caps = caps.as_object().unwrap().clone();
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if started.elapsed() < TIMEOUT => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(e) => panic!("WebDriver session: {e}"),
            }
        };
        // This test's screenshots of an earlier run would be mistaken for this run's.
        if let Ok(entries) = std::fs::read_dir(target_dir().join("e2e-screenshots")) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(&format!("{name}-")) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        let app = App { client, driver, data, name: name.to_string(), shots: 0 };
        app.wait_ready().await;
        app
    }

    /// The database file the app opened.
    pub fn db_path(&self) -> PathBuf {
        self.data.path().join("data/taawun/taawun.db")
    }

    pub async fn js(&self, script: &str) -> Value {
        bounded(script, self.client.execute(script, vec![])).await.unwrap_or_else(|e| panic!("script {script}: {e}"))
    }

    /// axe-core's critical and serious violations on the page as it is now (npm's axe-core from
    /// tools/a11y, injected on first use): `rule (impact): help — selectors`, one per violation.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        if self.js("return typeof window.axe === 'object'").await != Value::Bool(true) {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/a11y/node_modules/axe-core/axe.min.js");
            let source = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e} (make deps-test installs it)", path.display()));
            bounded("inject axe-core", self.client.execute(&source, vec![])).await.expect("axe-core injected");
        }
        let script = "const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
              .then((r) => done(r.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious')
                .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`)))
              .catch((e) => done([`axe failed: ${e}`]));";
        let found = bounded("axe-core", self.client.execute_async(script, vec![])).await.expect("axe-core ran");
        found
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect())
            .unwrap_or_default()
    }

    /// Runs an asynchronous script: it ends by calling `done(value)` (the last argument).
    pub async fn js_async(&self, script: &str) -> Value {
        let script = format!("const done = arguments[arguments.length - 1];\n{script}");
        bounded(&script, self.client.execute_async(&script, vec![]))
            .await
            .unwrap_or_else(|e| panic!("script {script}: {e}"))
    }

    /// Waits until the current route has rendered and painted.
    pub async fn wait_ready(&self) {
        self.wait_until("document.body.dataset.ready !== undefined", "first render").await;
    }

    pub async fn wait_until(&self, condition: &str, what: &str) {
        let started = Instant::now();
        let script = format!("return Boolean({condition});");
        loop {
            if bounded(what, self.client.execute(&script, vec![])).await.ok().and_then(|v| v.as_bool()) == Some(true) {
                return;
            }
            if started.elapsed() > TIMEOUT {
                panic!("timed out waiting for {what} ({condition})");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Navigates by hash and waits for that route's render.
    pub async fn goto(&self, hash: &str) {
        let before = self.js("return document.body.dataset.ready || ''").await;
        self.js(&format!("location.hash = {}", json!(hash))).await;
        self.wait_until(
            &format!(
                "document.body.dataset.ready !== {before} && document.body.dataset.route === {}",
                json!(hash.trim_start_matches("#/"))
            ),
            hash,
        )
        .await;
    }

    pub async fn find(&self, css: &str) -> Element {
        step("find", css);
        bounded(css, self.client.wait().at_most(TIMEOUT).for_element(Locator::Css(css)))
            .await
            .unwrap_or_else(|e| panic!("element {css}: {e}"))
    }

    /// Clicks the element; if the page re-rendered it between finding and clicking (a stale
    /// element), finds it again, a few times.
    pub async fn click(&self, css: &str) {
        let mut attempt = 0;
        loop {
            let el = self.find(css).await;
            step("click", css);
            match bounded(css, el.click()).await {
                Ok(_) => return,
                Err(e) if attempt < 4 => {
                    step("retry click", &e.to_string());
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(150)).await;
                }
                Err(e) => panic!("click {css}: {e}"),
            }
        }
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        step("type", css);
        self.clear(css).await;
        bounded(css, el.send_keys(text)).await.unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Empties a field as a user's deleting would (its `input` event fired). By script:
    /// WebKitWebDriver refuses "clear" on some inputs (type=search) and empty text to type.
    pub async fn clear(&self, css: &str) {
        self.js(&format!("const e = document.querySelector({}); e.value = ''; e.dispatchEvent(new Event('input', {{bubbles: true}})); return true;", json!(css))).await;
    }

    /// Chooses an option by setting the value as a user's choice would and firing `change`
    /// (clicking an <option> would open GTK's native popup, which WebDriver cannot drive).
    pub async fn select(&self, css: &str, value: &str) {
        self.find(css).await;
        step("select", css);
        let script = format!(
            "const s = document.querySelector({}); if (![...s.options].some(o => o.value === {v})) return false; s.value = {v}; s.dispatchEvent(new Event('change', {{bubbles: true}})); return true;",
            json!(css),
            v = json!(value)
        );
        assert_eq!(self.js(&script).await, Value::Bool(true), "{css} has no option {value}");
    }

    /// Sends raw keys (WebDriver key codes such as CTRL = "\u{E009}", ESCAPE = "\u{E00C}")
    /// to the element, without clearing it first.
    pub async fn keys(&self, css: &str, keys: &str) {
        let el = self.find(css).await;
        step("keys", css);
        bounded(css, el.send_keys(keys)).await.unwrap_or_else(|e| panic!("keys to {css}: {e}"));
    }

    pub async fn text(&self, css: &str) -> String {
        let el = self.find(css).await;
        bounded(css, el.text()).await.unwrap_or_default()
    }

    /// Waits until `css` shows text containing `needle`.
    pub async fn wait_text(&self, css: &str, needle: &str) {
        self.wait_until(
            &format!(
                "(() => {{ const e = document.querySelector({}); return e && e.textContent.includes({}); }})()",
                json!(css),
                json!(needle)
            ),
            &format!("{needle:?} in {css}"),
        )
        .await;
    }

    /// Answers the window's save dialogs with `path` from now on (the system's dialog cannot be
    /// driven): the dialog plugin's `save` gives that path, every other command goes through.
    pub async fn answer_save_dialog(&self, path: &Path) {
        let answered = self
            .js(&format!(
                "const tauri = window.__TAURI__; const invoke = tauri.core.invoke;
                 const core = {{ ...tauri.core, invoke: (cmd, args) => cmd === 'plugin:dialog|save' ? Promise.resolve({}) : invoke(cmd, args) }};
                 window.__TAURI__ = {{ ...tauri, core }};
                 return window.__TAURI__.core === core",
                json!(path)
            ))
            .await;
        assert_eq!(answered, true, "the save dialog answered by the test");
    }

    /// Saves a screenshot under target/e2e-screenshots after the page has painted.
    pub async fn screenshot(&mut self, label: &str) -> PathBuf {
        self.js("return await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))")
            .await;
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = target_dir().join("e2e-screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        self.shots += 1;
        let path = dir.join(format!("{}-{:02}-{label}.png", self.name, self.shots));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        // SIGTERM, not SIGKILL: tauri-driver then stops WebKitWebDriver and frees its port.
        sigterm(self.driver.id());
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.driver.try_wait() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = self.driver.kill();
    }
}

/// Every WebDriver call gets a deadline: a hang becomes a failure that names what it was doing.
async fn bounded<T>(what: &str, fut: impl std::future::Future<Output = T>) -> T {
    match tokio::time::timeout(TIMEOUT + Duration::from_secs(10), fut).await {
        Ok(v) => v,
        Err(_) => panic!("WebDriver did not answer while doing {what}"),
    }
}

fn step(action: &str, target: &str) {
    if std::env::var_os("TAAWUN_E2E_TRACE").is_some() {
        eprintln!("e2e: {action} {target}");
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // Also on a failed test: stop tauri-driver, which stops WebKitWebDriver and the app.
        if let Ok(None) = self.driver.try_wait() {
            sigterm(self.driver.id());
        }
    }
}

fn sigterm(pid: u32) {
    let _ = Command::new("kill").arg("-TERM").arg(pid.to_string()).status();
}

/// A PDF's text as `pdftotext` gives it, without white space or the direction marks poppler
/// adds (U+202A–U+202E) and Taawun draws (U+200E, U+200F): what a phrase typed is searched in.
pub fn pdf_text_squeezed(pdf: &Path) -> String {
    let out = std::process::Command::new("pdftotext").arg(pdf).arg("-").output().expect("pdftotext");
    String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| {
            !c.is_whitespace() && !('\u{202A}'..='\u{202E}').contains(c) && !matches!(c, '\u{200E}' | '\u{200F}')
        })
        .collect()
}
