//! The seeds' sample requests and responses (the docs-factory pages of the project's shared seeds, quoted
//! here) round-trip through the generated types unchanged: field names, optional fields and enum
//! values all match the wire format.

use genauth::types::{
    DeleteUsersBatchDto, IsSuccessRespDto, KickUsersDto, KickUsersOptionsDtoUserIdType, ResignUserReqDto,
    ResignUserRespDto,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Decodes `sample` as `T`, encodes it again, and checks nothing was lost or added.
fn round_trip<T: DeserializeOwned + Serialize>(sample: Value) -> T {
    let typed: T = serde_json::from_value(sample.clone()).expect("the sample decodes");
    assert_eq!(serde_json::to_value(&typed).expect("encodes"), sample);
    typed
}

#[test]
fn sample_requests_round_trip() {
    // Seed 001/002: kick-users' parameters and their sample values.
    let kick: KickUsersDto = round_trip(json!({
        "userId": "6229ffaxxxxxxxxcade3e3d9",
        "appIds": ["62188e71cxxxx3075289c580"],
        "options": {"userIdType": "user_id"}
    }));
    assert_eq!(kick.options.and_then(|o| o.user_id_type), Some(KickUsersOptionsDtoUserIdType::UserId));
    // Seed 004: delete-users-batch's sample call.
    let delete: DeleteUsersBatchDto =
        round_trip(json!({"userIds": ["6229ffaxxxxxxxxcade3e3d9"], "options": {"userIdType": "user_id"}}));
    assert_eq!(delete.user_ids, ["6229ffaxxxxxxxxcade3e3d9"]);
    // Seed 003: resign-user with a non-default id type, and with the optional field left out.
    round_trip::<ResignUserReqDto>(json!({"userId": "6229ffaxxxxxxxxcade3e3d9", "userIdType": "phone"}));
    let bare: ResignUserReqDto = round_trip(json!({"userId": "6229ffaxxxxxxxxcade3e3d9"}));
    assert!(bare.user_id_type.is_none());
}

#[test]
fn sample_results_round_trip() {
    // Seeds 001, 003 and 004 (English) share this sample result.
    let english = json!({
        "statusCode": 200,
        "message": "Success",
        "requestId": "934108e5-9fbf-4d24-8da1-c330328abd6c",
        "data": {"success": true}
    });
    let kick: IsSuccessRespDto = round_trip(english.clone());
    assert_eq!((kick.status_code, kick.data.success), (200, true));
    let resign: ResignUserRespDto = round_trip(english);
    assert_eq!(resign.request_id.as_deref(), Some("934108e5-9fbf-4d24-8da1-c330328abd6c"));
    // Seed 002 (Chinese) has `apiCode` and no `requestId`.
    let chinese: IsSuccessRespDto =
        round_trip(json!({"statusCode": 200, "message": "操作成功", "apiCode": 20001, "data": {"success": true}}));
    assert_eq!(chinese.api_code, Some(20001));
}

#[test]
fn every_user_id_type_of_the_spec_round_trips_and_unknown_ones_survive() {
    let known = KickUsersOptionsDtoUserIdType::KNOWN_VALUES;
    assert_eq!(known.len(), 8, "all 8 upstream values: {known:?}");
    for value in known.iter().copied().chain(["a_value_added_next_year"]) {
        let decoded: KickUsersOptionsDtoUserIdType = serde_json::from_value(json!(value)).expect("decodes");
        assert_eq!(decoded.as_str(), value);
        assert_eq!(serde_json::to_value(&decoded).expect("encodes"), json!(value));
    }
}
