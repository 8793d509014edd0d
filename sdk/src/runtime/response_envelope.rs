//! [`Envelope`]: the one type of the API's response envelope, around each operation's `data`.

/// The envelope a GenAuth response comes in: the business status, its message and, for a
/// failure, the fine-grained code and request id, around the operation's `data`.
///
/// Most operations' response types are this envelope: `types::AppListRespDto` is
/// `Envelope<Vec<AppDto>>`, so `response.data` is the list. (The spec declares one schema per
/// response; the SDK decodes them all with this one type, which keeps the crate quick to build.)
///
/// A response only reaches you as an `Envelope` when `statusCode` said success (200): any other
/// code is an [`Error::Api`](crate::Error::Api) carrying `status_code`, `api_code`, `message` and
/// `request_id` instead.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[cfg_attr(feature = "full-serde", derive(serde::Serialize))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Envelope<T> {
    /// Business status code, which tells whether the operation succeeded; 200 means success.
    ///
    /// 业务状态码，可以通过此状态码判断操作是否成功，200 表示成功。
    pub status_code: i64,
    /// Description of the result.
    ///
    /// 描述信息
    pub message: String,
    /// Fine-grained error code, which identifies the specific error type (not returned for
    /// successful requests).
    ///
    /// 细分错误码，可通过此错误码得到具体的错误类型。
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_code: Option<i64>,
    /// Request ID. Returned when the request fails.
    ///
    /// 请求 ID。当请求失败时会返回。
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The operation's response data: see the response type's documentation.
    ///
    /// 响应数据
    pub data: T,
}
