//! The window stays usable while long work runs (issue 34): an automatic backup of a registry
//! holding 100 MB of scans runs on a connection of its own, and the window's list page, an
//! agreement's page and the home view answer meanwhile, each in under 300 ms, while the top bar
//! says a backup is running. (Before, the backup held the window's store: every action waited
//! for the whole backup.)

use taawun_e2e::App;

#[tokio::test(flavor = "multi_thread")]
async fn the_window_answers_while_a_backup_runs() {
    let app = App::start("responsive").await;
    let paths: Vec<String> = (0..4)
        .map(|i| {
            let p = app.data.path().join(format!("scan-{i}.bin"));
            // Each file its own bytes (the vault keeps one copy of equal files); a backup is a tar
            // written whole, so what the bytes are does not matter.
            std::fs::write(&p, vec![i as u8; 25 << 20]).unwrap();
            p.display().to_string()
        })
        .collect();
    let script = "const invoke = window.__TAURI__.core.invoke;
        (async () => {
          let finished = false;
          let seenRunning = false;
          const bar = document.getElementById('background-work');
          // The top bar shown at any moment of the backup (it hides again at its last file).
          new MutationObserver(() => { seenRunning = seenRunning || !bar.hidden; }).observe(bar, { attributes: true, childList: true });
          const backup = invoke('run_auto_backup').then(() => { finished = true; });
          await new Promise((r) => setTimeout(r, 50));
          // The window's actions, again and again while the backup runs: each one timed.
          const times = [];
          const actions = [['list_records', { kind: 'agreement', query: {} }], ['record_view', { kind: 'agreement', id: 1 }], ['home', {}], ['due_groups', { limit: 10 }]];
          while (!finished) {
            for (const [cmd, args] of actions) {
              if (finished) break;
              const t0 = performance.now();
              await invoke(cmd, args);
              times.push([cmd, Math.round(performance.now() - t0)]);
            }
          }
          const during = times.length;
          await backup;
          await new Promise((r) => setTimeout(r, 100));
          done({ times, during, seenRunning });
        })().catch((e) => done({ error: String(e && e.message || e) }));";
    let attach = format!(
        "window.__TAURI__.core.invoke('attach_documents', {{ kind: 'agreement', id: 1, paths: {paths}, data: {{ kind: 'signed_original', title: '' }} }})
           .then(() => done('attached'), (e) => done(String(e && e.message || e)));",
        paths = serde_json::json!(paths)
    );
    assert_eq!(app.js_async(&attach).await, "attached");
    let r = app.js_async(script).await;
    assert!(r.get("error").is_none(), "{r}");
    assert!(r["during"].as_u64().unwrap() >= 4, "the window was used while the backup ran: {r}");
    for t in r["times"].as_array().unwrap() {
        assert!(t[1].as_f64().unwrap() < 300.0, "{} took {} ms during the backup: {r}", t[0], t[1]);
    }
    assert_eq!(r["seenRunning"], true, "the top bar says a backup runs: {r}");
    app.close().await;
}
