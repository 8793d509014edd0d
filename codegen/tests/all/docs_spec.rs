//! The docs of the real spec (upstream + curated layers) through the whole pipeline: the pages
//! of the three seed operations exist in both languages, with every section and the seeds'
//! values, in the `users` group.

use crate::real_spec;

const EN_SECTIONS: [&str; 6] =
    ["Method name", "Request parameters", "Sample code", "Request Response", "Sample result", "Data Structure"];
const ZH_SECTIONS: [&str; 6] = ["方法名称", "请求参数", "示例代码", "请求响应", "示例结果", "数据结构"];

#[test]
fn the_three_operations_have_pages_in_both_languages() {
    let generated = genauth_codegen::generate(
        &serde_json::to_vec(&real_spec::subset(&real_spec::SEED_PATHS)).expect("serialises"),
        &real_spec::options(true),
    )
    .unwrap_or_else(|e| panic!("the seed operations do not generate: {e}"));
    let page = |p: &str| &generated.files.iter().find(|f| f.path == p).unwrap_or_else(|| panic!("no {p}")).contents;
    for (dir, sections) in [("en", EN_SECTIONS), ("zh-CN", ZH_SECTIONS)] {
        let index = page(&format!("docs/{dir}/users/index.md"));
        for (name, method) in
            [("kick-users", "kick_users"), ("resign-user", "resign_user"), ("delete-users-batch", "delete_users_batch")]
        {
            let md = page(&format!("docs/{dir}/users/{name}.md"));
            let mut at = 0;
            for s in sections {
                let found = md[at..].find(&format!("\n## {s}\n")).unwrap_or_else(|| panic!("{dir}/{name}: {s}"));
                at += found + 1;
            }
            assert!(md.contains(&format!("`ManagementClient::{method}`")), "{dir}/{name}");
            assert!(md.contains(&format!(".{method}(")), "{dir}/{name}: sample");
            assert!(!md.contains("undefined"), "{dir}/{name}");
            assert!(index.contains(&format!("({name}.md)")), "{dir} index");
        }
    }
    let en = page("docs/en/users/kick-users.md");
    assert!(en.starts_with("# Force users to go offline\n"), "{en}");
    assert!(en.contains("| appIds | string[] | Yes | - |") && en.contains("1 to 50 items"), "{en}");
    assert!(en.contains("`custom_field`"));
    let zh = page("docs/zh-CN/users/kick-users.md");
    assert!(zh.starts_with("# 强制下线用户\n"), "{zh}");
    assert!(zh.contains("| appIds | string[] | 是 | - |") && zh.contains("1 到 50 项"), "{zh}");
}
