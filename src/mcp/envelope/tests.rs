use super::encode_header_value;

#[test]
fn a_name_a_header_cannot_carry_goes_in_the_base64_sentinel() {
    assert_eq!(encode_header_value("get_weather"), "get_weather");
    assert_eq!(encode_header_value("file:///a b.txt"), "file:///a b.txt");
    assert_eq!(encode_header_value(" edge"), "=?base64?IGVkZ2U=?=");
    assert_eq!(encode_header_value("café"), "=?base64?Y2Fmw6k=?=");
    assert_eq!(encode_header_value("a\nb"), "=?base64?YQpi?=");
    // A plain value that looks like the sentinel is wrapped, so it reads back as itself.
    assert_eq!(
        encode_header_value("=?base64?eA==?="),
        "=?base64?PT9iYXNlNjQ/ZUE9PT89?="
    );
}
