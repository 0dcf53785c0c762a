//! Vault benchmarks (criterion), throughput in bytes per second: attaching 96 MiB of mixed scans
//! (8 PDFs of 8 MiB with a real cross-reference table, 8 JPEG-headed files of 4 MiB) through the
//! store, and `verify` of the resulting vault; beside them, the baseline the issue names:
//! `sha256sum` then `cp` of the same files to the same disk, and `sha256sum` over the vault.
//! The 1 GiB whole-process figures come from tools/bench-vault.sh (also run by `make bench`).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use taawun_core::model::{DocumentData, DocumentKind, Entity};
use taawun_core::store::Store;

/// Incompressible bytes, deterministic (xorshift), so runs are comparable.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A one-page PDF whose page draws one big image stream, as a scanner writes it.
fn scan_pdf(len: usize, seed: u64) -> Vec<u8> {
    let image = noise(len, seed);
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> >>".to_vec(),
        [format!("<< /Type /XObject /Subtype /Image /Width 2480 /Height 3508 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n", image.len()).into_bytes(), image, b"\nendstream".to_vec()].concat(),
    ];
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

fn scans(dir: &Path) -> (Vec<PathBuf>, u64) {
    let mut files = Vec::new();
    for i in 0..8u64 {
        let p = dir.join(format!("scan-{i}.pdf"));
        std::fs::write(&p, scan_pdf(8 << 20, i + 1)).unwrap();
        files.push(p);
        let p = dir.join(format!("photo-{i}.jpg"));
        std::fs::write(&p, [&[0xFF, 0xD8, 0xFF, 0xE0][..], &noise(4 << 20, i + 100)].concat()).unwrap();
        files.push(p);
    }
    let total = files.iter().map(|f| std::fs::metadata(f).unwrap().len()).sum();
    (files, total)
}

fn meta() -> DocumentData {
    DocumentData { kind: DocumentKind::SignedOriginal, ..Default::default() }
}

fn vault(c: &mut Criterion) {
    let work = tempfile::tempdir_in(
        std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target")),
    )
    .unwrap();
    let (files, total) = scans(work.path());
    let mut g = c.benchmark_group("vault_96MiB");
    g.throughput(Throughput::Bytes(total));
    g.sample_size(10).measurement_time(Duration::from_secs(15));

    g.bench_function("attach", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir_in(work.path()).unwrap();
                let mut s = Store::open(&dir.path().join("t.db")).unwrap();
                s.load_sample().unwrap();
                (dir, s)
            },
            |(dir, mut s)| {
                assert_eq!(s.attach(Entity::Agreement, 1, &files, meta()).unwrap().len(), files.len());
                (dir, s)
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("baseline_sha256sum_then_cp", |b| {
        b.iter_batched(
            || tempfile::tempdir_in(work.path()).unwrap(),
            |dest| {
                assert!(Command::new("sha256sum").args(&files).output().unwrap().status.success());
                assert!(Command::new("cp").args(&files).arg(dest.path()).status().unwrap().success());
                assert!(Command::new("sync").arg("-f").arg(dest.path()).status().unwrap().success());
                dest
            },
            BatchSize::PerIteration,
        )
    });

    let dir = tempfile::tempdir_in(work.path()).unwrap();
    let mut s = Store::open(&dir.path().join("t.db")).unwrap();
    s.load_sample().unwrap();
    s.attach(Entity::Agreement, 1, &files, meta()).unwrap();
    g.bench_function("verify", |b| b.iter(|| assert!(s.verify_vault(|_, _| {}).unwrap().is_clean())));
    let stored: Vec<PathBuf> =
        s.vault().unwrap().contents().unwrap().iter().map(|h| s.vault().unwrap().path_of(h)).collect();
    g.bench_function("baseline_sha256sum", |b| {
        b.iter(|| assert!(Command::new("sha256sum").args(&stored).output().unwrap().status.success()))
    });
    g.finish();
}

criterion_group!(benches, vault);
criterion_main!(benches);
