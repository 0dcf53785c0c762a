//! About a hundred A4 pages of Arabic (a session of 100 points, each a heading and a
//! presentation note), typeset to a PDF: `cargo run --release -p taawun-core --example
//! hundred_pages -- OUT.pdf [SOURCE.txt]`. Used by `make bench` (tools/bench-typeset.sh) for the
//! whole-process time and peak memory, beside Typst on the same text (tools/bench-typst.py).
//! With a second argument, also writes the text used, one point per line, for the Typst side.

use taawun_core::typeset::{render, Block, DocumentSpec, Letterhead};

pub const SENTENCES: &[&str] = &[
    "تندرج هذه النقطة في إطار تفعيل مقتضيات المادة 94 من القانون التنظيمي رقم 112.14 المتعلق بالعمالات والأقاليم، وتهدف إلى تعزيز التعاون اللامركزي مع الشركاء الأجانب.",
    "يعرض على أنظار المجلس مشروع اتفاقية شراكة وتعاون يحدد التزامات الأطراف وآجال التنفيذ وكيفيات التتبع والتقييم، طبقا للنصوص التشريعية والتنظيمية الجاري بها العمل.",
    "بعد دراسة المشروع من طرف لجنة الميزانية والشؤون المالية والبرمجة، يقترح على المجلس المصادقة عليه قصد الشروع في إنجاز الأنشطة المبرمجة خلال سنة 2019.",
    "ويساهم مجلس عمالة الرباط في تمويل هذا المشروع بمبلغ 250000 درهم، فيما يتكفل الشريك بتوفير الخبرة التقنية وتنظيم دورات تكوينية لفائدة الأطر العاملة بالمراكز الاجتماعية.",
    "كما تنص الاتفاقية على إحداث لجنة مشتركة للتتبع تجتمع مرتين في السنة على الأقل، وتعد تقريرا سنويا يعرض على أنظار المجلس في دورته العادية لشهر يونيو.",
];

pub fn note(point: usize) -> String {
    (0..22).map(|k| SENTENCES[(point + k) % SENTENCES.len()]).collect::<Vec<_>>().join(" ")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = args.get(1).cloned().unwrap_or_else(|| "hundred.pdf".into());
    let mut blocks = Vec::new();
    let mut source = String::new();
    for p in 1..=100 {
        let title = format!("النقطة {p}: الدراسة والمصادقة على اتفاقية شراكة وتعاون رقم {p}");
        let text = note(p);
        source.push_str(&format!("{title}\t{text}\n"));
        blocks.push(Block::Heading { text: title, level: 1 });
        blocks.push(Block::Paragraph { text });
    }
    if let Some(src) = args.get(2) {
        std::fs::write(src, &source).unwrap();
    }
    let spec = DocumentSpec {
        title: "ملف المداولات — دورة يونيو 2019 العادية".into(),
        subtitle: String::new(),
        rtl: true,
        lang: "ar-MA".into(),
        author: "مجلس عمالة الرباط".into(),
        letterhead: Letterhead {
            arabic: vec![
                "المملكة المغربية".into(),
                "وزارة الداخلية".into(),
                "عمالة الرباط".into(),
                "مجلس عمالة الرباط".into(),
            ],
            french: vec![],
        },
        page_label: "الصفحة".into(),
        footer_note: String::new(),
        appended: Vec::new(),
        emblem: None,
        conformance: Default::default(),
        attachments: Vec::new(),
    };
    let file = std::io::BufWriter::new(std::fs::File::create(&out).unwrap());
    let (_, pages) = render(&spec, &blocks, file).unwrap();
    eprintln!("{out}: {pages} pages");
}
