//! The end of a stream as PDF/A validators read it. A stream's data is followed by an
//! end-of-line and `endstream`; PDF/A (ISO 19005-2, 6.1.7.1) has `/Length` count the bytes up to
//! "the EOL marker before the endstream keyword". When the data itself ends in a carriage return
//! (a compressed stream does, one time in 256), the LF that krilla and lopdf write after it reads
//! as a CR LF marker, one byte of the data is taken for it, and the stream fails
//! (page-validation's PDFA2A-STREAM-LENGTH-001). Such a stream gets a CR LF of its own before
//! `endstream`; nothing else changes (the data, its `/Length`), and in a whole file the
//! cross-reference table's offsets and `startxref` follow the bytes added.

const END: &[u8] = b"\r\nendstream";

fn find(bytes: &[u8], needle: &[u8]) -> Option<usize> {
    bytes.windows(needle.len()).position(|w| w == needle)
}

/// In one object's bytes, as krilla writes a stream ("<</Length N …>>\nstream\n", N bytes of
/// data, "\nendstream"): where the data ends, when it ends in a CR. The data is stepped over by
/// its `/Length`, never searched: an attached file (a signed original, stored as it is) may hold
/// "\r\nendstream" of its own, and it stays byte for byte.
fn stream_ending_in_cr(object: &[u8]) -> Option<usize> {
    let key = b">>\nstream\n";
    let dictionary_end = find(object, key)?;
    let dictionary = &object[..dictionary_end];
    let length = find(dictionary, b"/Length ")? + b"/Length ".len();
    let digits = dictionary[length..].iter().take_while(|b| b.is_ascii_digit()).count();
    let length: usize = std::str::from_utf8(&dictionary[length..length + digits]).ok()?.parse().ok()?;
    let end = (dictionary_end + key.len()).checked_add(length)?;
    let ends_in_cr = object.get(end.checked_sub(1)?) == Some(&b'\r');
    (ends_in_cr && object.get(end..)?.starts_with(b"\nendstream")).then_some(end)
}

/// Where a CR goes in `pdf`: at the end of each stream's data that ends in a CR, the objects
/// found by the cross-reference table's offsets (`entries`), the table starting at `table`.
fn insertions(pdf: &[u8], entries: &[(usize, usize)], table: usize) -> Vec<usize> {
    let mut starts: Vec<usize> = entries.iter().map(|(_, offset)| *offset).filter(|o| *o < table).collect();
    starts.sort_unstable();
    starts
        .iter()
        .enumerate()
        .filter_map(|(i, &start)| {
            let end = starts.get(i + 1).copied().unwrap_or(table);
            stream_ending_in_cr(&pdf[start..end]).map(|at| start + at)
        })
        .collect()
}

/// `bytes` with a CR inserted at each of `at` (ascending).
fn inserted(bytes: &[u8], at: &[usize]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + at.len());
    let mut from = 0;
    for &i in at {
        out.extend_from_slice(&bytes[from..i]);
        out.push(b'\r');
        from = i;
    }
    out.extend_from_slice(&bytes[from..]);
    out
}

/// One serialized object (lopdf's "… stream\n<data>\nendstream"), mended.
pub fn mend_object(body: Vec<u8>) -> Vec<u8> {
    if !body.ends_with(END) {
        return body;
    }
    inserted(&body, &[body.len() - END.len() + 1])
}

/// A whole PDF with a classic cross-reference table, as krilla wrote it, mended; returned as it
/// is when no stream needs it, or when its table cannot be read (then nothing is moved).
pub fn mend_file(pdf: Vec<u8>) -> Vec<u8> {
    let Some((table, startxref_digits)) = cross_reference(&pdf) else { return pdf };
    let entries = entries(&pdf, table);
    let at = insertions(&pdf, &entries, table);
    if at.is_empty() {
        return pdf;
    }
    let moved = |offset: usize| offset + at.partition_point(|i| *i <= offset);
    let mut out = inserted(&pdf, &at);
    // Each "0000001234 00000 n" entry at its new place, the same width.
    for (entry, offset) in entries {
        let entry = moved(entry);
        out[entry..entry + 10].copy_from_slice(format!("{:010}", moved(offset)).as_bytes());
    }
    // The table's own offset, written last in the file: its digits may grow.
    let digits = moved(startxref_digits.start)..moved(startxref_digits.start) + startxref_digits.len();
    out.splice(digits, moved(table).to_string().into_bytes());
    out
}

/// The in-use entries of the cross-reference table at `table`: where each is written, and the
/// object offset it holds.
fn entries(pdf: &[u8], table: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut line = table + b"xref\n".len();
    while let Some(header) = read_line(pdf, line) {
        let Some((_, count)) = header.split_once(' ') else { break };
        let Ok(count) = count.trim().parse::<usize>() else { break };
        line += header.len() + 1;
        for _ in 0..count {
            let Some(entry) = pdf.get(line..line + 20) else { return out };
            let offset = std::str::from_utf8(&entry[..10]).ok().and_then(|s| s.parse().ok());
            if let (b'n', Some(offset)) = (entry[17], offset) {
                out.push((line, offset));
            }
            line += 20;
        }
    }
    out
}

/// The offset of the cross-reference table and where `startxref`'s number is written.
fn cross_reference(pdf: &[u8]) -> Option<(usize, std::ops::Range<usize>)> {
    let key = b"startxref\n";
    let at = pdf.windows(key.len()).rposition(|w| w == key)? + key.len();
    let len = pdf[at..].iter().take_while(|b| b.is_ascii_digit()).count();
    let table: usize = std::str::from_utf8(&pdf[at..at + len]).ok()?.parse().ok()?;
    pdf.get(table..table + 5).filter(|t| *t == b"xref\n")?;
    Some((table, at..at + len))
}

/// The line starting at `at` when it is a subsection header ("0 167").
fn read_line(bytes: &[u8], at: usize) -> Option<&str> {
    let end = at + bytes.get(at..)?.iter().position(|b| *b == b'\n')?;
    let line = std::str::from_utf8(&bytes[at..end]).ok()?.trim_end_matches('\r');
    let mut parts = line.split(' ');
    let ok = parts.next()?.parse::<usize>().is_ok() && parts.next()?.parse::<usize>().is_ok() && parts.next().is_none();
    ok.then_some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF of two objects, the first a stream whose 3 bytes of data end in a CR.
    fn sample() -> Vec<u8> {
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let one = pdf.len();
        pdf.extend_from_slice(b"1 0 obj\n<</Length 3>>\nstream\nab\r\nendstream\nendobj\n");
        let two = pdf.len();
        pdf.extend_from_slice(b"2 0 obj\n<</Type/Catalog/Pages 3 0 R>>\nendobj\n");
        let four = pdf.len();
        pdf.extend_from_slice(
            b"4 0 obj\n<</Length 18/Type/EmbeddedFile>>\nstream\n%PDF\r\nendstream\r\nq\nendstream\nendobj\n",
        );
        let three = pdf.len();
        pdf.extend_from_slice(b"3 0 obj\n<</Type/Pages/Kids[]/Count 0>>\nendobj\n");
        let table = pdf.len();
        let entries =
            format!("0000000000 65535 f\r\n{one:010} 00000 n\r\n{two:010} 00000 n\r\n{three:010} 00000 n\r\n{four:010} 00000 n\r\n");
        pdf.extend_from_slice(
            format!("xref\n0 5\n{entries}trailer\n<</Size 5/Root 2 0 R>>\nstartxref\n{table}\n%%EOF").as_bytes(),
        );
        pdf
    }

    fn offset_of(pdf: &[u8], needle: &[u8]) -> usize {
        pdf.windows(needle.len()).position(|w| w == needle).unwrap()
    }

    #[test]
    fn a_stream_ending_in_a_carriage_return_gets_a_crlf_and_the_offsets_follow() {
        let mended = mend_file(sample());
        assert_eq!(mended.len(), sample().len() + 1);
        // The data (3 bytes after "stream\n") is untouched, then CR LF, then endstream.
        let data = offset_of(&mended, b"stream\n") + 7;
        assert_eq!(&mended[data..data + 3 + 11], b"ab\r\r\nendstream");
        let text = String::from_utf8_lossy(&mended);
        let table = offset_of(&mended, b"xref\n");
        assert!(text.trim_end().ends_with(&format!("startxref\n{table}\n%%EOF")), "{text}");
        let entry = |n: usize| -> usize { text[table + 9 + 20 * n..table + 19 + 20 * n].parse().unwrap() };
        assert_eq!(entry(1), offset_of(&mended, b"1 0 obj"));
        assert_eq!(entry(2), offset_of(&mended, b"2 0 obj"));
        assert_eq!(entry(3), offset_of(&mended, b"3 0 obj"));
        assert_eq!(entry(4), offset_of(&mended, b"4 0 obj"));
        // An attached file's own "\r\nendstream" is data, and stays as it was.
        let attached: &[u8] = b"stream\n%PDF\r\nendstream\r\nq\nendstream";
        assert!(mended.windows(attached.len()).any(|w| w == attached));
        // Mended once for all: a mended stream's data is followed by its CR LF.
        assert_eq!(mend_file(mended.clone()), mended);
        // A file with nothing to mend is left as it was.
        let plain = String::from_utf8(sample()).unwrap().replace("ab\r\nendstream", "abc\nendstream");
        assert_eq!(mend_file(plain.clone().into_bytes()), plain.into_bytes());
    }

    #[test]
    fn qpdf_reads_the_mended_file_without_repairing_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mended.pdf");
        std::fs::write(&path, mend_file(sample())).unwrap();
        let out = std::process::Command::new("qpdf").arg("--check").arg(&path).output().expect("qpdf");
        let said = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
        assert!(!said.contains("WARNING") && !said.contains("reconstruct"), "{said}");
    }

    #[test]
    fn one_object_is_mended_alone() {
        assert_eq!(mend_object(b"stream\nab\r\nendstream".to_vec()), b"stream\nab\r\r\nendstream");
        assert_eq!(mend_object(b"stream\nab\nendstream".to_vec()), b"stream\nab\nendstream");
    }
}
