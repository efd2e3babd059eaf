//! Word files built here with the zip crate, read back, annotated and read again.

use super::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn p(runs: &str) -> String {
    format!("<w:p>{runs}</w:p>")
}

fn r(text: &str) -> String {
    format!("<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{text}</w:t></w:r>")
}

const NUMBERING: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"#;

fn numbered(num: u32, ilvl: u32, text: &str) -> String {
    format!("<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"{num}\"/></w:numPr></w:pPr>{}</w:p>", r(text))
}

#[test]
fn runs_are_joined_with_insertions_tabs_and_breaks_and_without_deletions() -> TestResult {
    let body = p(&format!(
        "{}{}<w:ins w:author=\"A\"><w:r><w:t>ổng</w:t></w:r></w:ins><w:del w:author=\"A\"><w:r><w:delText>XÓA</w:delText></w:r></w:del>\
         <w:r><w:tab/><w:t>số &amp; cộng</w:t><w:br/><w:t>hết</w:t></w:r>",
        r("Báo cáo "),
        r("t")
    ));
    let bytes = package(&format!("{}<w:p/>{}", body, p(&r("Đoạn hai"))), &[])?;
    let docx = read(&bytes)?;
    assert_eq!(docx.text, "Báo cáo tổng\tsố & cộng\nhết\n\nĐoạn hai");
    let at = docx.text.find("Đoạn").ok_or("missing")?;
    // The empty paragraph counts: "Đoạn hai" is paragraph 3.
    assert_eq!(docx.locate(at), Some(Location { block: Block::Paragraph(3), offset: 0 }));
    let at = docx.text.find("cộng").ok_or("missing")?;
    assert_eq!(docx.locate(at), Some(Location { block: Block::Paragraph(1), offset: "Báo cáo tổng\tsố & ".chars().count() }));
    Ok(())
}

#[test]
fn numbering_prefixes_are_rendered() -> TestResult {
    let body =
        [numbered(1, 0, "Một"), numbered(1, 1, "con a"), numbered(1, 1, "con b"), numbered(1, 0, "Hai"), numbered(2, 0, "gạch")].concat();
    let bytes = package(&body, &[("word/numbering.xml", NUMBERING)])?;
    let docx = read(&bytes)?;
    assert_eq!(docx.text, "1. Một\n\na) con a\n\nb) con b\n\n2. Hai\n\n- gạch");
    // Offsets count the paragraph's own text, not the prefix.
    let at = docx.text.find("Hai").ok_or("missing")?;
    assert_eq!(docx.locate(at), Some(Location { block: Block::Paragraph(4), offset: 0 }));
    Ok(())
}

fn cell(text: &str) -> String {
    format!("<w:tc><w:tcPr/>{}</w:tc>", p(&r(text)))
}

fn table(rows: &[&[&str]]) -> String {
    let rows: String = rows.iter().map(|row| format!("<w:tr>{}</w:tr>", row.iter().map(|c| cell(c)).collect::<String>())).collect();
    format!("<w:tbl><w:tblPr/>{rows}</w:tbl>")
}

pub(crate) fn wrong_table() -> String {
    table(&[&["Đơn vị", "Số đảng viên"], &["Chi bộ A", "120"], &["Chi bộ B", "85"], &["Tổng cộng", "215"]])
}

#[test]
fn tables_become_markdown_rows_and_table_total_mismatch_fires() -> TestResult {
    let body = format!("{}{}{}", p(&r("Bảng số liệu:")), wrong_table(), p(&r("Hết.")));
    let docx = read(&package(&body, &[])?)?;
    assert!(
        docx.text.contains("| Đơn vị | Số đảng viên |\n| --- | --- |\n| Chi bộ A | 120 |\n| Chi bộ B | 85 |\n| Tổng cộng | 215 |\n\nHết."),
        "{}",
        docx.text
    );
    let findings = crate::analyze(&docx.text, &crate::Config::default());
    let f = findings.iter().find(|f| f.code.as_str() == "table-total-mismatch").ok_or(format!("no finding: {findings:?}"))?;
    let loc = docx.locate(f.range.start).ok_or("no location")?;
    assert_eq!(loc.block, Block::Cell { table: 1, row: 4, column: 2 }, "{f:?}");
    // The paragraph after the table is paragraph 2 (cells do not count).
    let at = docx.text.find("Hết").ok_or("missing")?;
    assert_eq!(docx.locate(at).map(|l| l.block), Some(Block::Paragraph(2)));
    Ok(())
}

#[test]
fn footnotes_and_text_boxes_are_blocks_of_their_own_and_fallbacks_are_not_read_twice() -> TestResult {
    let text_box = "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>Trong hộp</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>\
        <mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>Trong hộp</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>";
    let body = p(&format!("{}{text_box}{}", r("Trước "), r("sau")));
    let footnotes = r#"<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Chú thích một</w:t></w:r></w:p></w:footnote></w:footnotes>"#;
    let docx = read(&package(&body, &[("word/footnotes.xml", footnotes)])?)?;
    assert_eq!(docx.text, "Trước sau\n\nTrong hộp\n\nChú thích một");
    assert_eq!(docx.locate(docx.text.find("Trong").ok_or("x")?).map(|l| l.block), Some(Block::TextBox(1)));
    assert_eq!(docx.locate(docx.text.find("Chú").ok_or("x")?).map(|l| l.block), Some(Block::Footnote(1)));
    Ok(())
}

#[test]
fn legacy_doc_and_garbage_give_clear_errors() {
    let mut doc = OLE_MAGIC.to_vec();
    doc.extend_from_slice(&[0; 60]);
    assert_eq!(read(&doc), Err(DocxError::LegacyDoc));
    assert!(DocxError::LegacyDoc.to_string().contains("save as .docx"));
    assert!(matches!(read(b"not a zip at all"), Err(DocxError::Malformed(_))));
}

#[test]
fn a_broken_document_xml_is_an_error_not_a_panic() -> TestResult {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer.start_file("word/document.xml", zip::write::SimpleFileOptions::default())?;
    std::io::Write::write_all(&mut writer, b"<w:document><w:body><w:p></w:r></w:body>")?;
    let bytes = writer.finish()?.into_inner();
    assert!(matches!(read(&bytes), Err(DocxError::Malformed(_))), "{:?}", read(&bytes));
    Ok(())
}

type Entries = Vec<(String, Vec<u8>)>;

fn entries(bytes: &[u8]) -> Result<Entries, Box<dyn std::error::Error>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut e = archive.by_index(i)?;
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut data)?;
        out.push((e.name().to_string(), data));
    }
    Ok(out)
}

#[test]
fn annotate_splits_runs_adds_comments_and_copies_the_rest() -> TestResult {
    // "có 6 chỉ tiêu" starts mid-run and ends mid-run.
    let body =
        [p(&format!("{}{}", r("Trong tổng số 28 chỉ tiêu, có 6 chỉ tiêu đạt"), r("; 19 chỉ tiêu chưa đạt."))), p(&r("Hai"))].concat();
    let bytes = package(&body, &[("word/numbering.xml", NUMBERING)])?;
    let docx = read(&bytes)?;
    let start = docx.text.find("có 6").ok_or("x")?;
    let end = docx.text.find("19 chỉ").ok_or("x")? + "19".len();
    let whole = docx.text.find("Hai").ok_or("x")?;
    let comments = vec![
        Comment { range: start..end, paragraphs: vec!["Lỗi <tổng> & số".into(), "Sửa: 25".into()] },
        Comment { range: whole..whole + 3, paragraphs: vec!["Cả đoạn".into()] },
    ];
    let (out, skipped) = annotate(&bytes, &docx, &comments)?;
    assert!(skipped.is_empty());
    let before = entries(&bytes)?;
    let after = entries(&out)?;
    let find =
        |list: &[(String, Vec<u8>)], name: &str| list.iter().find(|(n, _)| n == name).map(|(_, d)| String::from_utf8_lossy(d).into_owned());
    let comments_xml = find(&after, "word/comments.xml").ok_or("no comments.xml")?;
    assert!(comments_xml.contains("w:author=\"baocao-ls\"") && comments_xml.contains("Lỗi &lt;tổng&gt; &amp; số"), "{comments_xml}");
    let document = find(&after, "word/document.xml").ok_or("no document")?;
    let start_at = document.find("<w:commentRangeStart w:id=\"0\"/>").ok_or("no start")?;
    let end_at = document.find("<w:commentRangeEnd w:id=\"0\"/>").ok_or("no end")?;
    let between: String = {
        let mut r = Reader::from_str(&document[start_at..end_at]);
        let mut s = String::new();
        while let Ok(ev) = r.read_event() {
            match ev {
                Event::Eof => break,
                Event::Text(t) => s.push_str(&t.unescape()?),
                _ => {}
            }
        }
        s
    };
    assert_eq!(between, "có 6 chỉ tiêu đạt; 19");
    assert!(document.contains("<w:commentReference w:id=\"1\"/>"));
    // The split run keeps its bold.
    assert!(document.contains("<w:commentRangeStart w:id=\"0\"/><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">có 6"), "{document}");
    assert!(find(&after, "word/_rels/document.xml.rels").ok_or("rels")?.contains("relationships/comments"));
    assert!(find(&after, "[Content_Types].xml").ok_or("types")?.contains("/word/comments.xml"));
    assert_eq!(find(&before, "word/numbering.xml"), find(&after, "word/numbering.xml"));
    assert_eq!(find(&before, "_rels/.rels"), find(&after, "_rels/.rels"));
    // The copy reads back as the same text.
    assert_eq!(read(&out)?.text, docx.text);
    // Annotating the copy again extends comments.xml with new ids.
    let again = read(&out)?;
    let (twice, _) = annotate(&out, &again, &comments[1..])?;
    let comments_xml = find(&entries(&twice)?, "word/comments.xml").ok_or("x")?;
    assert!(comments_xml.contains("w:id=\"2\"") && comments_xml.matches("<w:comment ").count() == 3, "{comments_xml}");
    Ok(())
}

#[test]
fn oversized_entries_are_refused() -> TestResult {
    // A stored entry that claims a huge size cannot be made cheaply; check the limit's message.
    let e = DocxError::TooLarge("word/document.xml".into());
    assert!(e.to_string().contains("200 MB"), "{e}");
    Ok(())
}

#[test]
fn a_report_of_two_hundred_pages_reads_and_annotates_quickly() -> TestResult {
    // About 200 pages: 2,000 paragraphs of several runs and 50 tables.
    let mut body = String::new();
    for i in 0..2000 {
        body.push_str(&p(&format!(
            "{}{}",
            r(&format!("Đoạn {i}: trong tổng số 28 chỉ tiêu, có 6 chỉ tiêu đạt")),
            r("; 19 chỉ tiêu chưa đạt.")
        )));
        if i % 40 == 0 {
            body.push_str(&wrong_table());
        }
    }
    let bytes = package(&body, &[])?;
    let started = std::time::Instant::now();
    let docx = read(&bytes)?;
    let comments: Vec<Comment> = (0..500)
        .filter_map(|i| docx.text.find(&format!("Đoạn {i}:")).map(|at| Comment { range: at..at + 10, paragraphs: vec!["x".into()] }))
        .collect();
    let (out, _) = annotate(&bytes, &docx, &comments)?;
    let elapsed = started.elapsed();
    assert_eq!(read(&out)?.text, docx.text);
    // Generous for an unoptimised build on a busy machine; a release build takes a fraction.
    assert!(elapsed.as_secs() < 20, "{elapsed:?}");
    eprintln!("200 pages: read + annotate in {elapsed:?}");
    Ok(())
}
