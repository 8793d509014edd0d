//! The fixed words of a page, per language: section headings, column names, phrases.
//!
//! English follows the docs-factory's English pages (seed 001), Chinese its Chinese pages
//! (seed 002), so readers of the old docs find the same headings in the same places.

use crate::model::Lang;

/// Every fixed word a page or index uses, in one language.
#[derive(Debug)]
pub struct Labels {
    /// Directory under `docs/` (`en`, `zh-CN`).
    pub dir: &'static str,
    /// Heading of the method-name section.
    pub method_name: &'static str,
    /// Heading of the request-parameters section.
    pub request_parameters: &'static str,
    /// Heading of the sample-code section.
    pub sample_code: &'static str,
    /// Heading of the response section.
    pub response: &'static str,
    /// Heading of the section a paged operation's page has after the sample code.
    pub all_pages: &'static str,
    /// Its first paragraph; `{limit}` is replaced by the default page size.
    pub all_pages_intro: &'static str,
    /// Heading of the sample-result section.
    pub sample_result: &'static str,
    /// Heading of the data-structures section.
    pub data_structures: &'static str,
    /// Column: name.
    pub col_name: &'static str,
    /// Column: type.
    pub col_type: &'static str,
    /// Column: required.
    pub col_required: &'static str,
    /// Column: default value.
    pub col_default: &'static str,
    /// Column: description.
    pub col_description: &'static str,
    /// Column: sample value.
    pub col_sample: &'static str,
    /// Column of an enum table: the value on the wire.
    pub col_value: &'static str,
    /// Column of an enum or oneOf table: the Rust variant.
    pub col_variant: &'static str,
    /// "Yes" in the required column.
    pub yes: &'static str,
    /// "No" in the required column.
    pub no: &'static str,
    /// Prefix of the response type line (`Type: `).
    pub type_prefix: &'static str,
    /// The request line under the method name (`HTTP request: `).
    pub http_request: &'static str,
    /// Shown instead of an empty parameter table.
    pub no_parameters: &'static str,
    /// Shown instead of an empty field table.
    pub no_fields: &'static str,
    /// Shown instead of an empty data-structures section.
    pub no_data_structures: &'static str,
    /// Shown when the spec describes no response content.
    pub no_response_schema: &'static str,
    /// Marks a deprecated operation or field.
    pub deprecated: &'static str,
    /// Marks a nullable field.
    pub nullable: &'static str,
    /// An enum's catch-all note; `{}` stands for the variant.
    pub catch_all_note: &'static str,
    /// Lead-in of a oneOf type's variant table.
    pub one_of_note: &'static str,
    /// Title of the index page.
    pub index_title: &'static str,
    /// Column of the index: the operation (its summary, linked).
    pub col_operation: &'static str,
    /// Column of the index: the HTTP request.
    pub col_http: &'static str,
    /// Column of the top index: the group (its name, linked to its own index).
    pub col_group: &'static str,
    /// Column of the top index: how many operations the group has.
    pub col_count: &'static str,
    /// Constraint phrases.
    pub constraints: ConstraintLabels,
}

/// Phrases that spell out constraints; `{a}` and `{b}` stand for the numbers.
#[derive(Debug)]
pub struct ConstraintLabels {
    /// `minItems` and `maxItems`.
    pub items_range: &'static str,
    /// `minItems` only.
    pub items_min: &'static str,
    /// `maxItems` only.
    pub items_max: &'static str,
    /// `minLength` and `maxLength`.
    pub length_range: &'static str,
    /// `minLength` only.
    pub length_min: &'static str,
    /// `maxLength` only.
    pub length_max: &'static str,
    /// `minimum`.
    pub minimum: &'static str,
    /// `maximum`.
    pub maximum: &'static str,
    /// `pattern` (followed by the pattern in a code span).
    pub pattern: &'static str,
    /// `format` (followed by the format in a code span).
    pub format: &'static str,
    /// Allowed values (followed by the values in code spans).
    pub allowed: &'static str,
}

const EN: Labels = Labels {
    dir: "en",
    method_name: "Method name",
    request_parameters: "Request parameters",
    sample_code: "Sample code",
    all_pages: "Walking all pages",
    all_pages_intro: "`into_paginator()` sends the request once per page, from page 1 with {limit} items per page unless the request sets them, and streams the items of every page until the last; it stops at the first error.",
    response: "Request Response",
    sample_result: "Sample result",
    data_structures: "Data Structure",
    col_name: "Name",
    col_type: "Type",
    col_required: "Required",
    col_default: "Default",
    col_description: "Description",
    col_sample: "Sample value",
    col_value: "Value",
    col_variant: "Rust variant",
    yes: "Yes",
    no: "No",
    type_prefix: "Type: ",
    http_request: "HTTP request: ",
    no_parameters: "This method takes no parameters.",
    no_fields: "This type has no fields.",
    no_data_structures: "This method uses no other types.",
    no_response_schema: "The spec describes no response content; the method returns `serde_json::Value`.",
    deprecated: "Deprecated.",
    nullable: "Can be `null`.",
    catch_all_note: "A value the SDK does not know yet decodes as {}.",
    one_of_note: "One of the following types:",
    index_title: "API reference",
    col_operation: "Operation",
    col_http: "HTTP request",
    col_group: "Group",
    col_count: "Operations",
    constraints: ConstraintLabels {
        items_range: "{a} to {b} items",
        items_min: "at least {a} items",
        items_max: "at most {a} items",
        length_range: "{a} to {b} characters",
        length_min: "at least {a} characters",
        length_max: "at most {a} characters",
        minimum: "minimum {a}",
        maximum: "maximum {a}",
        pattern: "Pattern: ",
        format: "Format: ",
        allowed: "Allowed values: ",
    },
};

const ZH: Labels = Labels {
    dir: "zh-CN",
    method_name: "方法名称",
    request_parameters: "请求参数",
    sample_code: "示例代码",
    all_pages: "遍历所有页",
    all_pages_intro: "`into_paginator()` 逐页发送请求（除非请求中另行设置，从第 1 页开始，每页 {limit} 条），以流的形式依次返回每一页中的每一项，直到最后一页；遇到第一个错误即停止。",
    response: "请求响应",
    sample_result: "示例结果",
    data_structures: "数据结构",
    col_name: "名称",
    col_type: "类型",
    col_required: "必填",
    col_default: "默认值",
    col_description: "描述",
    col_sample: "示例值",
    col_value: "值",
    col_variant: "Rust 枚举成员",
    yes: "是",
    no: "否",
    type_prefix: "类型：",
    http_request: "HTTP 请求：",
    no_parameters: "该方法没有参数。",
    no_fields: "该类型没有字段。",
    no_data_structures: "该方法不使用其他类型。",
    no_response_schema: "规范未描述响应内容；该方法返回 `serde_json::Value`。",
    deprecated: "已废弃。",
    nullable: "可以为 `null`。",
    catch_all_note: "SDK 尚不认识的值解码为 {}。",
    one_of_note: "以下类型之一：",
    index_title: "API 参考",
    col_operation: "操作",
    col_http: "HTTP 请求",
    col_group: "分组",
    col_count: "操作数",
    constraints: ConstraintLabels {
        items_range: "{a} 到 {b} 项",
        items_min: "至少 {a} 项",
        items_max: "至多 {a} 项",
        length_range: "{a} 到 {b} 个字符",
        length_min: "至少 {a} 个字符",
        length_max: "至多 {a} 个字符",
        minimum: "最小值 {a}",
        maximum: "最大值 {a}",
        pattern: "正则：",
        format: "格式：",
        allowed: "可选值：",
    },
};

/// The labels of `lang`.
pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// The section headings of an operation page, in page order (the layout the tests check).
pub fn section_headings(lang: Lang) -> [&'static str; 6] {
    let l = labels(lang);
    [l.method_name, l.request_parameters, l.sample_code, l.response, l.sample_result, l.data_structures]
}
