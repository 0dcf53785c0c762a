//! The national registry on a real PostgreSQL (Debian's package): a throwaway cluster in a
//! temporary folder, listening only on a Unix socket there, started and stopped by these tests.
//! Two councils publish; the national counts match theirs; publishing again changes nothing; an
//! edit and a deletion travel; a connection cut in the middle leaves nothing half-written on
//! either side; a newer schema and another council's records are refused.

#![cfg(feature = "national")]

use postgres::{Client, NoTls};
use std::path::{Path, PathBuf};
use std::process::Command;
use taawun_core::model::{CouncilIdentity, Entity};
use taawun_core::national::{self, Published, Step};
use taawun_core::store::{generate, ListQuery, Store};

/// A PostgreSQL cluster of its own, stopped (and its folder removed) when dropped.
struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
}

/// Runs a PostgreSQL program as the owner of the cluster: root may not run the server, so
/// under root it runs as Debian's `postgres` user.
fn as_owner(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false)
}

impl Cluster {
    fn start() -> Cluster {
        // The newest PostgreSQL Debian installed (`make test` installs the package).
        let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL's server (Debian package postgresql; `make test` installs it)")
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|b| b.join("initdb").exists())
            .collect();
        versions.sort();
        let bin = versions.pop().expect("a PostgreSQL server under /usr/lib/postgresql");
        let dir = tempfile::Builder::new().prefix("taawun-pg").tempdir().unwrap();
        if is_root() {
            let ok = Command::new("chown").args(["-R", "postgres:postgres"]).arg(dir.path()).status().unwrap();
            assert!(ok.success());
        }
        let data = dir.path().join("data");
        let out = as_owner(&bin.join("initdb"))
            .args(["-A", "trust", "-U", "taawun", "-E", "UTF8", "--no-sync", "-D"])
            .arg(&data)
            .output()
            .unwrap();
        assert!(out.status.success(), "initdb: {}", String::from_utf8_lossy(&out.stderr));
        let options = format!("-k {} -c listen_addresses= -c fsync=off", dir.path().display());
        let out = as_owner(&bin.join("pg_ctl"))
            .args(["-w", "-D"])
            .arg(&data)
            .args(["-o", &options, "-l"])
            .arg(dir.path().join("log"))
            .arg("start")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_ctl start: {} {}",
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(dir.path().join("log")).unwrap_or_default()
        );
        Cluster { dir, bin }
    }

    /// A new, empty database, and its address (a Unix socket in the cluster's folder).
    fn database(&self, name: &str) -> String {
        self.client("postgres").batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        self.url(name)
    }

    fn url(&self, name: &str) -> String {
        format!("host={} user=taawun dbname={name}", self.dir.path().display())
    }

    fn client(&self, name: &str) -> Client {
        Client::connect(&self.url(name), NoTls).unwrap()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = as_owner(&self.bin.join("pg_ctl"))
            .args(["-w", "-m", "immediate", "-D"])
            .arg(self.dir.path().join("data"))
            .arg("stop")
            .output();
    }
}

/// A desk of a council named `name`, with generated records (none of them sample records).
fn desk(dir: &Path, name: &str, seed: u64) -> Store {
    let mut s = Store::open(&dir.join(format!("{name}.db"))).unwrap();
    s.set_council_identity(CouncilIdentity {
        arabic: vec!["المملكة المغربية".into(), format!("مجلس {name}")],
        french: vec!["Royaume du Maroc".into(), format!("Conseil de {name}")],
        ..Default::default()
    })
    .unwrap();
    s.generate(&generate::Options { partners: 20, agreements: 150, seed, sessions: 2, points_per_session: 3 }).unwrap();
    s
}

fn quiet(_: Step) {}

fn written(p: &Published, table: &str) -> (usize, u64) {
    let t = p.tables.iter().find(|t| t.table == table).unwrap();
    (t.sent, t.written)
}

fn live(s: &Store, kind: Entity) -> i64 {
    s.count(kind, &ListQuery::default()).unwrap()
}

fn count(c: &mut Client, sql: &str) -> i64 {
    c.query_one(sql, &[]).unwrap().get(0)
}

#[test]
fn two_councils_publish_and_the_national_counts_add_up() {
    let pg = Cluster::start();
    let url = pg.database("national");
    let dir = tempfile::tempdir().unwrap();
    let mut rabat = desk(dir.path(), "Rabat", 1);
    let mut sale = desk(dir.path(), "Salé", 2);

    let first = national::publish(&mut rabat, &url, &mut quiet).unwrap();
    assert_eq!(written(&first, "agreement"), (150, 150));
    assert!(written(&first, "agreement_party").0 >= 150);
    assert!(written(&first, "deliberation").0 > 0, "{first:?}");
    assert!(!first.target.contains("password"));
    national::publish(&mut sale, &url, &mut quiet).unwrap();

    let mut db = pg.client("national");
    let by_council: Vec<(String, i64)> = db
        .query("SELECT council_name_fr, agreements FROM taawun_national.national_counts_by_council ORDER BY 1", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        by_council,
        vec![
            ("Conseil de Rabat".to_string(), live(&rabat, Entity::Agreement)),
            ("Conseil de Salé".to_string(), live(&sale, Entity::Agreement))
        ]
    );
    let total = live(&rabat, Entity::Agreement) + live(&sale, Entity::Agreement);
    for view in ["by_kind", "by_direction", "by_year"] {
        let sum =
            count(&mut db, &format!("SELECT sum(agreements)::bigint FROM taawun_national.national_counts_{view}"));
        assert_eq!(sum, total, "{view}");
    }
    // Every agreement has partners in some country, and the two councils share none of their UUIDs.
    assert!(count(&mut db, "SELECT count(*) FROM taawun_national.national_counts_by_country") > 1);
    assert_eq!(count(&mut db, "SELECT count(*) FROM taawun_national.national_agreements WHERE partners IS NULL"), 0);
    let partners_rabat = count(&mut db, "SELECT count(*) FROM taawun_national.partner p JOIN taawun_national.council c ON c.uuid = p.council WHERE c.name_fr = 'Conseil de Rabat'");
    assert_eq!(partners_rabat, live(&rabat, Entity::Partner));

    // Publishing again: nothing changed, nothing sent, nothing written.
    let again = national::publish(&mut rabat, &url, &mut quiet).unwrap();
    assert!(again.tables.iter().all(|t| t.sent == 0 && t.written == 0), "{again:?}");
    // Even from the start (the desk's cursor forgotten), the server has it all as it is.
    rabat.set_setting(&format!("publish.until.{}", first.target), "").unwrap();
    let resent = national::publish(&mut rabat, &url, &mut quiet).unwrap();
    assert_eq!(written(&resent, "agreement"), (150, 0));
    assert_eq!(written(&resent, "partner").1, 0);

    // One agreement edited, one deleted: only they travel.
    let page = rabat.list_agreements(&ListQuery::default()).unwrap();
    let (edited, deleted) = (page.items[0].id, page.items[1].id);
    let mut data = rabat.get_agreement(edited).unwrap().data;
    data.title_fr = "Convention révisée — «Tombouctou» \\N, C:\\dossier".into();
    rabat.update_agreement(edited, data.clone(), None).unwrap();
    rabat.delete(Entity::Agreement, deleted).unwrap();
    let after = national::publish(&mut rabat, &url, &mut quiet).unwrap();
    assert_eq!(written(&after, "agreement"), (2, 2));
    let uuid = rabat.get_agreement(edited).unwrap().uuid;
    let title: String = db
        .query_one("SELECT title_fr FROM taawun_national.agreement WHERE uuid = $1::text::uuid", &[&uuid])
        .unwrap()
        .get(0);
    assert_eq!(title, data.title_fr, "text arrives as typed, backslashes too");
    let rabat_now = count(
        &mut db,
        "SELECT agreements FROM taawun_national.national_counts_by_council WHERE council_name_fr = 'Conseil de Rabat'",
    );
    assert_eq!(rabat_now, live(&rabat, Entity::Agreement));
    assert_eq!(rabat_now, 149);

    // The same from the command line, in words: nothing left to send.
    drop(rabat);
    let out = Command::new(env!("CARGO_BIN_EXE_taawun-cli"))
        .args(["--lang", "fr", "--db"])
        .arg(dir.path().join("Rabat.db"))
        .args(["publish", "--to", &url])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("Publié dans le registre national") && text.contains("Conventions : 0 envoyées"), "{text}");
}

#[test]
fn a_connection_cut_in_the_middle_leaves_nothing_half_written() {
    let pg = Cluster::start();
    let url = pg.database("national");
    let dir = tempfile::tempdir().unwrap();
    let mut rabat = desk(dir.path(), "Rabat", 3);
    // The connection is cut once the agreements are on the server, before the rest.
    let mut cut = |step: Step| {
        if let Step::Copied { table: "agreement", .. } = step {
            pg.client("postgres")
                .batch_execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'taawun-publish'",
                )
                .unwrap();
        }
    };
    let e = national::publish(&mut rabat, &url, &mut cut).unwrap_err();
    assert_eq!(e.code(), "server");
    assert!(e.message(taawun_core::Lang::Fr).contains("Rien n'a été publié"), "{}", e.message(taawun_core::Lang::Fr));
    // Nothing on the server (not even the schema), and the desk's cursor where it was.
    let mut db = pg.client("national");
    assert_eq!(count(&mut db, "SELECT count(*) FROM pg_namespace WHERE nspname = 'taawun_national'"), 0);
    let target = format!("taawun@{}/national", pg.dir.path().display());
    assert_eq!(rabat.setting(&format!("publish.until.{target}")).unwrap(), None);
    // The next publish sends it all.
    let done = national::publish(&mut rabat, &url, &mut quiet).unwrap();
    assert_eq!(written(&done, "agreement"), (150, 150));
    assert_eq!(count(&mut db, "SELECT count(*) FROM taawun_national.agreement"), 150);
}

#[test]
fn a_newer_schema_and_another_councils_records_are_refused() {
    let pg = Cluster::start();
    let url = pg.database("national");
    let dir = tempfile::tempdir().unwrap();
    let mut rabat = desk(dir.path(), "Rabat", 4);
    national::publish(&mut rabat, &url, &mut quiet).unwrap();

    // A copy of Rabat's database taken by another council (its own council UUID made anew,
    // never published anywhere).
    let copy = dir.path().join("copy.db");
    drop(rabat);
    std::fs::copy(dir.path().join("Rabat.db"), &copy).unwrap();
    let mut rabat = Store::open(&dir.path().join("Rabat.db")).unwrap();
    rusqlite::Connection::open(&copy)
        .unwrap()
        .execute("DELETE FROM setting WHERE key = 'council.uuid' OR key LIKE 'publish.until.%'", [])
        .unwrap();
    let mut other = Store::open(&copy).unwrap();
    let e = national::publish(&mut other, &url, &mut quiet).unwrap_err();
    assert_eq!(e.code(), "other_council");
    assert!(e.message(taawun_core::Lang::Fr).contains("Conseil de Rabat"));

    let mut db = pg.client("national");
    db.batch_execute("INSERT INTO taawun_national.schema_version VALUES (99)").unwrap();
    let e = national::publish(&mut rabat, &url, &mut quiet).unwrap_err();
    assert_eq!(e.code(), "server_schema_too_new");

    // An address that is not one.
    let e = national::publish(&mut rabat, "http://example.org/", &mut quiet).unwrap_err();
    assert_eq!(e.code(), "invalid.bad_address");
}
