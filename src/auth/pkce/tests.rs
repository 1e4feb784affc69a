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
    assert_eq!(redirect_answer(head, "s1", None).unwrap().unwrap(), "c1");
    assert!(redirect_answer(head, "other", None).is_none());
    assert!(redirect_answer(b"GET /favicon.ico HTTP/1.1\r\n\r\n", "s1", None).is_none());
    assert!(redirect_answer(b"\xff\xfe garbage", "s1", None).is_none());
    let refused = b"GET /callback?error=access_denied&state=s1 HTTP/1.1\r\n\r\n";
    assert!(redirect_answer(refused, "s1", None).unwrap().is_err());
}

#[test]
fn a_redirect_from_another_issuer_is_refused_before_its_code_or_error_is_used() {
    let expected = ExpectedIssuer {
        issuer: "https://auth.example".into(),
        advertised: false,
    };
    let answer = |target: &str, issuer: &ExpectedIssuer| {
        let head = format!("GET /callback?{target} HTTP/1.1\r\n\r\n");
        redirect_answer(head.as_bytes(), "s1", Some(issuer)).unwrap()
    };
    let good = "code=c1&state=s1&iss=https%3A%2F%2Fauth.example";
    assert_eq!(answer(good, &expected).unwrap(), "c1");
    assert_eq!(answer("code=c1&state=s1", &expected).unwrap(), "c1");
    for wrong in [
        "code=c1&state=s1&iss=https%3A%2F%2Fevil.example",
        // No normalisation: a trailing slash is another issuer.
        "code=c1&state=s1&iss=https%3A%2F%2Fauth.example%2F",
        "error=access_denied&error_description=evil&state=s1&iss=https%3A%2F%2Fevil.example",
    ] {
        let err = answer(wrong, &expected).unwrap_err();
        assert!(err.0.contains("RFC 9207"), "{}", err.0);
        assert!(!err.0.contains("access_denied"), "{}", err.0);
    }
    let advertised = ExpectedIssuer {
        advertised: true,
        ..expected
    };
    assert!(answer("code=c1&state=s1", &advertised).is_err());
}
