//! Store benchmarks (criterion): a sorted, filtered page of 100 out of 100,000 agreements (open
//! included, and on an open database), 10,000 agreements inserted in one import-style
//! transaction, and the window's actions while a backup runs beside them. The 100,000-agreement database is generated once into the target dir and reused.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::path::PathBuf;
use std::time::Duration;
use taawun_core::model::{AgreementData, AgreementKind, AgreementStatus, Entity};
use taawun_core::store::{generate, migrations, ListQuery, Store};

const AGREEMENTS: u32 = 100_000;
const PARTNERS: u32 = 20_000;

/// The shared benchmark database, made on first use (about a minute in release).
fn big_db() -> PathBuf {
    bench_db("agreements", 0)
}

/// A council's registry with its sessions: the 100,000 agreements and 2,600 sessions of four
/// points each, the past ones voted (about 10,000 deliberations, their deadlines open).
fn council_db() -> PathBuf {
    bench_db("council", 2_600)
}

fn bench_db(name: &str, sessions: u32) -> PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"))
        .join("bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{AGREEMENTS}-{sessions}-schema{}.db", migrations::supported_version()));
    if !path.exists() {
        let tmp = path.with_extension("tmp");
        let _ = std::fs::remove_file(&tmp);
        let mut s = Store::open(&tmp).unwrap();
        s.generate(&generate::Options {
            partners: PARTNERS,
            agreements: AGREEMENTS,
            seed: 2018,
            sessions,
            points_per_session: if sessions > 0 { 4 } else { 0 },
        })
        .unwrap();
        s.conn().execute_batch("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;").unwrap();
        drop(s);
        std::fs::rename(&tmp, &path).unwrap();
    }
    path
}

fn queries() -> Vec<(&'static str, ListQuery)> {
    vec![
        ("default_signed_desc", ListQuery { sort: "signed_on".into(), desc: true, ..Default::default() }),
        (
            "status_signed_by_date",
            ListQuery { status: "signed".into(), sort: "signed_on".into(), desc: true, ..Default::default() },
        ),
        ("kind_and_year", ListQuery { kind: "twinning".into(), year: Some(2018), ..Default::default() }),
        ("country_fr_by_title", ListQuery { country: "FR".into(), sort: "title".into(), ..Default::default() }),
        ("page_500_of_status", ListQuery { status: "in_force".into(), offset: 500 * 20, ..Default::default() }),
        ("text_contains", ListQuery { q: "n° 4242".into(), ..Default::default() }),
        // The list's text box: a rare word, and Arabic typed without its hamza and ة.
        ("text_rare_word", ListQuery { q: "montp".into(), ..Default::default() }),
        ("text_arabic_folded", ListQuery { q: "جماعه داكار".into(), ..Default::default() }),
    ]
}

fn list_page(c: &mut Criterion) {
    let path = big_db();
    let mut g = c.benchmark_group("list_agreements_100k");
    g.measurement_time(Duration::from_secs(4));
    g.bench_function("open_then_status_page", |b| {
        let q = ListQuery { status: "signed".into(), sort: "signed_on".into(), desc: true, ..Default::default() };
        b.iter(|| {
            let s = Store::open(&path).unwrap();
            let page = s.list_agreements(&q).unwrap();
            assert_eq!(page.items.len(), 100);
        })
    });
    let s = Store::open(&path).unwrap();
    for (name, q) in queries() {
        g.bench_function(name, |b| b.iter(|| s.list_agreements(&q).unwrap()));
    }
    g.finish();
    // The "of N" total, fetched after the page.
    let mut g = c.benchmark_group("count_agreements_100k");
    g.measurement_time(Duration::from_secs(4));
    for (name, q) in queries() {
        g.bench_function(name, |b| b.iter(|| s.count(Entity::Agreement, &q).unwrap()));
    }
    g.finish();
    let mut g = c.benchmark_group("list_partners_20k");
    g.bench_function("country_by_name", |b| {
        b.iter(|| s.list_partners(&ListQuery { country: "SN".into(), ..Default::default() }).unwrap())
    });
    g.finish();
}

fn rows(parties: &[i64], n: usize) -> Vec<(AgreementData, AgreementStatus)> {
    (0..n)
        .map(|i| {
            (
                AgreementData {
                    kind: AgreementKind::Partnership,
                    title_ar: format!("اتفاقية شراكة وتعاون رقم {i}"),
                    title_fr: format!("Convention de partenariat n° {i}"),
                    legal_basis: "المادة 94 من القانون التنظيمي رقم 112.14".into(),
                    reference: format!("IMP/{i:06}"),
                    parties: vec![parties[i % parties.len()]],
                    areas: vec!["التكوين".into()],
                    signed_on: format!("{}-{:02}-{:02}", 2000 + i % 26, 1 + i % 12, 1 + i % 28),
                    signed_at: "الرباط".into(),
                    effective_from: String::new(),
                    duration_months: Some(36),
                    end_on: String::new(),
                    tacit_renewal: false,
                    notes: String::new(),
                },
                AgreementStatus::Signed,
            )
        })
        .collect()
}

fn import(c: &mut Criterion) {
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(15));
    g.bench_function("insert_10k_agreements_one_transaction", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().unwrap();
                let mut s = Store::open(&dir.path().join("import.db")).unwrap();
                s.generate(&generate::Options {
                    partners: 200,
                    agreements: 0,
                    seed: 1,
                    sessions: 0,
                    points_per_session: 0,
                })
                .unwrap();
                let ids: Vec<i64> = s
                    .list_partners(&ListQuery { limit: Some(1000), ..Default::default() })
                    .unwrap()
                    .items
                    .iter()
                    .map(|p| p.id)
                    .collect();
                (dir, s, rows(&ids, 10_000))
            },
            |(dir, mut s, rows)| {
                s.import_agreements(rows).unwrap();
                (dir, s)
            },
            BatchSize::PerIteration,
        )
    });
    // The officer's path: a 10,000-row XLSX registry (Arabic and French titles, references,
    // parties by name, dates typed in four forms) read, matched, checked and written in one
    // transaction, into a database holding 200 partners.
    let sheet_dir = tempfile::tempdir().unwrap();
    let xlsx = sheet_dir.path().join("registry-10k.xlsx");
    let template = sheet_dir.path().join("template.db");
    {
        let mut s = Store::open(&template).unwrap();
        s.generate(&generate::Options { partners: 200, agreements: 0, seed: 1, sessions: 0, points_per_session: 0 })
            .unwrap();
        taawun_core::store::generate::registry_xlsx(&s, 10_000, &xlsx).unwrap();
        let preview = taawun_core::import::preview(&s, &xlsx, &Default::default(), taawun_core::Lang::Ar).unwrap();
        assert_eq!(
            (preview.counts.create, preview.counts.error),
            (10_000, 0),
            "{:?}",
            preview.rows.iter().find(|r| !r.errors.is_empty())
        );
        drop(s);
    }
    g.bench_function("xlsx_10k_agreements_read_matched_written", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().unwrap();
                std::fs::copy(&template, dir.path().join("import.db")).unwrap();
                let s = Store::open(&dir.path().join("import.db")).unwrap();
                (dir, s)
            },
            |(dir, mut s)| {
                let done =
                    taawun_core::import::import(&mut s, &xlsx, &Default::default(), taawun_core::Lang::Ar).unwrap();
                assert_eq!(done.created, 10_000);
                (dir, s)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

/// Search as you type on the 100,000 agreements and 20,000 partners (the index built once by the
/// first search), against a naive `LIKE '%…%'` over the same titles and names. The median is
/// criterion's; the 99th percentile is measured here over 2,000 searches of mixed prefixes.
fn search(c: &mut Criterion) {
    use taawun_core::store::SearchFilters;
    let path = big_db();
    let mut s = Store::open(&path).unwrap();
    let started = std::time::Instant::now();
    s.search("x", &SearchFilters::default(), 1).unwrap();
    eprintln!("search index brought up to date in {:.1} s", started.elapsed().as_secs_f64());
    let typed = [
        "باماكو",
        "اتفاقية توأمة",
        "Dakar",
        "شراكة وتعاون 42",
        "جماعه داكار",
        "montp",
        "الرباط",
        "n° 4242",
        "تكوين",
        "Guédiawaye 1",
    ];
    let mut g = c.benchmark_group("search_100k");
    g.measurement_time(Duration::from_secs(5));
    for q in ["باماكو", "جماعه داكار", "montp"] {
        g.bench_function(format!("fts_{q}"), |b| b.iter(|| s.search(q, &SearchFilters::default(), 20).unwrap()));
    }
    let conn = Store::open(&path).unwrap();
    for q in ["باماكو", "داكار", "montp"] {
        g.bench_function(format!("naive_like_{q}"), |b| {
            b.iter(|| {
                let like = format!("%{q}%");
                let mut stmt = conn
                    .conn()
                    .prepare_cached("SELECT id FROM agreement WHERE deleted_at IS NULL AND (title_ar LIKE ?1 OR title_fr LIKE ?1) UNION ALL SELECT id FROM partner WHERE deleted_at IS NULL AND (name_ar LIKE ?1 OR name_latin LIKE ?1) LIMIT 20")
                    .unwrap();
                stmt.query_map([like], |r| r.get::<_, i64>(0)).unwrap().count()
            })
        });
    }
    g.finish();
    let mut times: Vec<f64> = Vec::new();
    for i in 0..2000 {
        let q = typed[i % typed.len()];
        let cut: String = q.chars().take(2 + i % q.chars().count().max(1)).collect();
        let t = std::time::Instant::now();
        s.search(&cut, &SearchFilters::default(), 20).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    eprintln!(
        "search as you type, 2,000 prefixes: median {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times[1000], times[1980], times[1999]
    );
}

/// The search index of 120,000 records (100,000 agreements, 20,000 partners) built from nothing,
/// as after a restore from an old backup or a migration: the refresh a first search runs.
fn search_index_build(c: &mut Criterion) {
    use taawun_core::store::SearchFilters;
    let path = big_db();
    let dir = path.with_file_name("index-build");
    std::fs::create_dir_all(&dir).unwrap();
    let mut g = c.benchmark_group("search_index");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(60));
    g.bench_function("build_from_nothing_120k", |b| {
        b.iter_batched(
            || {
                let copy = dir.join("run.db");
                let _ = std::fs::remove_file(copy.with_extension("db-wal"));
                std::fs::copy(&path, &copy).unwrap();
                let s = Store::open(&copy).unwrap();
                s.conn().execute_batch("DELETE FROM search_index; DELETE FROM search_state;").unwrap();
                s
            },
            |mut s| s.search("باماكو", &SearchFilters::default(), 20).unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

/// The dashboard's figures over 100,000 agreements (store::figures): every year, and one year.
fn figures(c: &mut Criterion) {
    let path = big_db();
    let s = Store::open(&path).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    let mut g = c.benchmark_group("figures_100k");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("all_years", |b| b.iter(|| s.figures(None, today).unwrap()));
    g.bench_function("one_year", |b| b.iter(|| s.figures(Some(2019), today).unwrap()));
    g.finish();
}

/// The window's actions while a backup runs (issue 34), on the council's registry (100,000
/// agreements, about 10,000 deliberations): the backup on a connection of its own,
/// made again and again on a second thread for the whole measurement, as the window now makes
/// it; the window's list page, home view (counts and deadlines), an agreement's page and a
/// search on the window's connection meanwhile. Besides criterion's means, the slowest single
/// action seen is printed: the target is no action above 300 ms.
fn window_during_backup(c: &mut Criterion) {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Instant;
    let path = council_db();
    {
        let s = Store::open(&path).unwrap();
        let deliberations: i64 = s.conn().query_row("SELECT count(*) FROM deliberation", [], |r| r.get(0)).unwrap();
        let open = s.due(chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(), taawun_core::Lang::Ar).unwrap().len();
        eprintln!("council database: {AGREEMENTS} agreements, {deliberations} deliberations, {open} open deadlines");
    }
    let stop = Arc::new(AtomicBool::new(false));
    let made = Arc::new(AtomicUsize::new(0));
    let scratch = tempfile::tempdir().unwrap();
    let backups = {
        let (path, stop, made, dir) = (path.clone(), stop.clone(), made.clone(), scratch.path().to_path_buf());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let own = Store::open(&path).unwrap();
                let dest = dir.join("b.taawun-backup");
                taawun_core::backup::create(&own, &dest, false, |_, _| {}).unwrap();
                std::fs::remove_file(&dest).unwrap();
                made.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    let mut s = Store::open(&path).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let worst = Mutex::new(Vec::<(String, Duration)>::new());
    let timed = |name: &str, iters: u64, mut action: Box<dyn FnMut() + '_>| -> Duration {
        let mut total = Duration::ZERO;
        let mut slowest = Duration::ZERO;
        for _ in 0..iters {
            let t = Instant::now();
            action();
            let took = t.elapsed();
            slowest = slowest.max(took);
            total += took;
        }
        worst.lock().unwrap().push((name.to_string(), slowest));
        total
    };
    let mut g = c.benchmark_group("window_during_backup_100k");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(6));
    let q = ListQuery { status: "signed".into(), sort: "signed_on".into(), desc: true, ..Default::default() };
    g.bench_function("list_page", |b| {
        b.iter_custom(|n| timed("list_page", n, Box::new(|| drop(s.list_agreements(&q).unwrap()))))
    });
    g.bench_function("home_counts_and_deadline_groups", |b| {
        b.iter_custom(|n| {
            timed(
                "home",
                n,
                Box::new(|| {
                    s.home(today).unwrap();
                    s.due_groups(today, taawun_core::Lang::Ar, 10).unwrap();
                }),
            )
        })
    });
    g.bench_function("agreement_page", |b| {
        b.iter_custom(|n| timed("agreement_page", n, Box::new(|| drop(s.agreement_view(4242).unwrap()))))
    });
    g.bench_function("search", |b| {
        b.iter_custom(|n| timed("search", n, Box::new(|| drop(s.search("باماكو", &Default::default(), 20).unwrap()))))
    });
    g.finish();
    stop.store(true, Ordering::Relaxed);
    backups.join().unwrap();
    let mut slowest: std::collections::BTreeMap<String, Duration> = Default::default();
    for (name, d) in worst.into_inner().unwrap() {
        let e = slowest.entry(name).or_default();
        *e = (*e).max(d);
    }
    eprintln!(
        "window during backups ({} backups of the 100,000-agreement database made meanwhile):",
        made.load(Ordering::Relaxed)
    );
    for (name, d) in slowest {
        eprintln!("  slowest {name}: {:.1} ms", d.as_secs_f64() * 1000.0);
    }
}

criterion_group!(benches, list_page, import, search, search_index_build, figures, window_during_backup);
criterion_main!(benches);
