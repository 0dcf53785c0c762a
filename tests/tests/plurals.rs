//! Counted nouns in the real window agree in number as the papers and the CLI do: the window
//! picks the category with the browser's CLDR rules (Intl.PluralRules, WebKit's ICU) and the
//! core with ICU4X; both must agree for every number a council meets, in the three languages,
//! and the forms shown are the core's (the vote line itself is checked in session.rs).

use taawun_core::plural::{category, counted, counted_as, Case};
use taawun_core::Lang;
use taawun_e2e::App;

const NOUNS: [&str; 4] = ["day", "page", "against", "member"];
const NUMBERS: [u64; 12] = [0, 1, 2, 3, 10, 11, 99, 100, 101, 102, 111, 1_000_000];

#[tokio::test(flavor = "multi_thread")]
async fn counted_nouns_agree_in_the_window_as_in_the_papers() {
    let app = App::start("plurals").await;
    for (code, lang) in [("fr", Lang::Fr), ("en", Lang::En), ("ar", Lang::Ar)] {
        app.select("#lang-switch", code).await;
        app.wait_until(&format!("document.documentElement.lang === '{code}'"), "the language").await;
        let script = format!(
            "const m = await import('./js/i18n.js');
             const cats = [...Array(301).keys()].concat([1000000]).map((n) => new Intl.PluralRules(m.lang()).select(n));
             const forms = {nouns}.flatMap((noun) => {numbers}.map((n) => m.tn(noun, n)));
             const oblique = [2, 1].flatMap((n) => [m.tn('country', n, 'gen'), m.tn('day', n, 'acc')]);
             return {{cats, forms, oblique}};",
            nouns = serde_json::json!(NOUNS),
            numbers = serde_json::json!(NUMBERS),
        );
        let got = app.js(&format!("return await (async () => {{ {script} }})()")).await;
        let numbers: Vec<u64> = (0..=300).chain([1_000_000]).collect();
        let window_cats: Vec<&str> = got["cats"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
        let core_cats: Vec<&str> = numbers.iter().map(|&n| category(lang, n)).collect();
        assert_eq!(window_cats, core_cats, "{code}: the browser's CLDR rules and ICU4X's");
        let core_forms: Vec<String> =
            NOUNS.iter().flat_map(|noun| NUMBERS.iter().map(move |&n| counted(lang, noun, n))).collect();
        let window_forms: Vec<String> =
            got["forms"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect();
        assert_eq!(window_forms, core_forms, "{code}");
        let core_oblique: Vec<String> = [2, 1]
            .iter()
            .flat_map(|&n| {
                [counted_as(lang, "country", n, Case::Genitive), counted_as(lang, "day", n, Case::Accusative)]
            })
            .collect();
        assert_eq!(got["oblique"], serde_json::json!(core_oblique), "{code}: the Arabic cases");
    }
    app.close().await;
}
