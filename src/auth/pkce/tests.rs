use super::*;

#[test]
fn the_s256_challenge_is_the_unpadded_base64url_sha256_of_the_verifier() {
    // Computed independently: base64.urlsafe_b64encode(hashlib.sha256(v).digest()).rstrip(b"=").
    assert_eq!(
        challenge("dBjftJeZ4CVP-mJ92IZY6HqyxUZZEgAuatdbdjVg-cM"),
        "QjTRqTMx3WU5owa3LjuqyJPH2_JufLeXrhWniTrCYnU"
    );
    let verifier = new_verifier().unwrap();
    assert_eq!(verifier.len(), 43);
    assert_ne!(verifier, new_verifier().unwrap());
}

#[test]
fn only_this_logins_redirect_is_taken() {
    let head = b"GET /callback?code=c1&state=s1 HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_eq!(redirect_answer(head, "s1").unwrap().unwrap(), "c1");
    assert!(redirect_answer(head, "other").is_none());
    assert!(redirect_answer(b"GET /favicon.ico HTTP/1.1\r\n\r\n", "s1").is_none());
    assert!(redirect_answer(b"\xff\xfe garbage", "s1").is_none());
    let refused = b"GET /callback?error=access_denied&state=s1 HTTP/1.1\r\n\r\n";
    assert!(redirect_answer(refused, "s1").unwrap().is_err());
}
