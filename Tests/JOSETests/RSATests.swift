import BatonCrypto
import Testing

@testable import JOSE

/// RS256 and RSA JWKs: the RFC 7638 thumbprint example, signatures that OpenSSL made, round trips
/// and refusals of small keys.
@Suite("JOSE RSA")
struct RSATests {
    /// RFC 7638 §3.1: the thumbprint of the example RSA key.
    @Test func rfc7638ThumbprintOfTheExampleKey() throws {
        let jwk = try JWK(
            jsonText: """
                {"kty":"RSA","e":"AQAB","alg":"RS256","kid":"2011-04-29","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"}
                """)
        #expect(jwk.thumbprintBase64URL == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
        #expect(jwk.key.algorithm == .rs256)
        #expect(jwk.key.keyTypeName == "RSA/2048")
    }

    /// A signature OpenSSL made (`openssl dgst -sha256 -sign`) verifies, and one flipped bit does not.
    @Test func verifiesAnOpenSSLSignature() throws {
        let key = try JWSVerificationKey(pem: Self.publicPEM)
        var signature = try Hex.decode(Self.openSSLSignatureHex)
        let message = Array("baton rs256 vector".utf8)
        #expect(key.isValidSignature(signature, for: message, algorithm: .rs256))
        #expect(!key.isValidSignature(signature, for: message, algorithm: .es256))
        signature[7] ^= 0x10
        #expect(!key.isValidSignature(signature, for: message, algorithm: .rs256))
        #expect(!key.isValidSignature(Array(signature.prefix(100)), for: message, algorithm: .rs256))
    }

    /// Signing is deterministic (PKCS#1 v1.5) and agrees with OpenSSL byte for byte.
    @Test func signsAsOpenSSLDoes() throws {
        let key = try JWSSigningKey.rsa(pem: Self.privatePEM)
        let signature = try key.sign(Array("baton rs256 vector".utf8))
        #expect(Hex.encode(signature) == Self.openSSLSignatureHex)
        #expect(key.algorithm == .rs256)
    }

    @Test func jwsRoundTripAndJWKSerialization() throws {
        let key = try JWSSigningKey.rsa(pem: Self.privatePEM)
        guard let pub = key.verificationKey else {
            Issue.record("an RSA key has a public key")
            return
        }
        let jws = try JWS.sign(header: ["kid": "k"], claims: ["sub": "researcher"], key: key)
        let verifier = JWSVerifier(keys: JWKSet(JWK(key: pub, keyID: "k")), allowedAlgorithms: [.rs256])
        _ = try verifier.verify(jws.compact)
        let text = JWK(key: pub, keyID: "k").json.canonicalString
        #expect(text.hasPrefix(#"{"e":"AQAB","kid":"k","kty":"RSA","n":""#))
        #expect(try JWK(jsonText: text).key == pub)
        // Not on the allow-list: refused.
        #expect(throws: JOSEError.self) { try JWSVerifier(keys: JWKSet(JWK(key: pub, keyID: "k")), allowedAlgorithms: [.es256]).verify(jws.compact) }
    }

    @Test func refusesKeysBelow2048Bits() throws {
        #expect(throws: JOSEError.self) { try JWSSigningKey.rsa(pem: Self.smallPrivatePEM) }
        #expect(throws: JOSEError.self) { try JWSVerificationKey.rsa(modulus: [0xc5] + Array(repeating: 0x01, count: 127), exponent: [1, 0, 1]) }
    }

    @Test func refusesRSAJWKsWithLeadingZeroOctets() throws {
        let n = StrictBase64URL.encode([0] + Array(repeating: 0xc3, count: 256))
        #expect(throws: JOSEError.self) { try JWK(jsonText: #"{"kty":"RSA","e":"AQAB","n":"\#(n)"}"#) }
    }

    static let openSSLSignatureHex =
        "97c676b6c83a1c70e9628c00edada0ef7eb03a12b9f522d91c045207caa94d25237da57f42f7fb1c96289d626f57eee9065b43f82528c98a92e27b93114c496f3eb0f8fe259ac22d6948ec4c910b314df4daf684549e6a065f68d0796b7ba909922a326d1b7898b73a363dbbcd52dc757ee058969530832f0150e8295b87338a28171abc15b962ddb73d82565ea90fa47ccfcd9ca7424e66222e53842965bf3afc5341df9f4810bb3ee396bc9d7f734675d4aa0dbb377ae7bba63a8421f684901e19162de41cd1c3248ea6886e4922941a50f1b9add4a864f5a0897f95a88b1f7d7956f4632477a91f6a5e440ebb296dacb81dddce671247c68fa3e328279a8b"

    static let publicPEM = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvcvdu7G5tFBpYFjJKeu0
        GvKYib9k0diSpMK4sBemlrFT8Gq2O+4OyxdGHuYY26GIaq7P+mj/Kd3qtoJTYE34
        fdahM2S9QLne0MuOgSAvKYL0gLXEWnL/Ed55gJHcDsmGauo2L2mbXiBX6who3YX+
        xdH5PmEgIO89f3vM7SAj77nQIHhEJ1h6JLiG9rf0rQ2xBfxHKxPLiefm0Dm9BpEb
        Y0rmUgvl5Q+a2ICmCyNd9Luks8ldtw4Gel0j5kVh8hbkQLIKqZVSC5la2CwLZitA
        oaikemmzfllOUN0WSzVQXPY7x9FA9gDa0KqzCaWl61ExBEnTNRmW9gARLFaPgk3j
        pQIDAQAB
        -----END PUBLIC KEY-----
        """

    static let privatePEM = """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC9y927sbm0UGlg
        WMkp67Qa8piJv2TR2JKkwriwF6aWsVPwarY77g7LF0Ye5hjboYhqrs/6aP8p3eq2
        glNgTfh91qEzZL1Aud7Qy46BIC8pgvSAtcRacv8R3nmAkdwOyYZq6jYvaZteIFfr
        CGjdhf7F0fk+YSAg7z1/e8ztICPvudAgeEQnWHokuIb2t/StDbEF/EcrE8uJ5+bQ
        Ob0GkRtjSuZSC+XlD5rYgKYLI130u6SzyV23DgZ6XSPmRWHyFuRAsgqplVILmVrY
        LAtmK0ChqKR6abN+WU5Q3RZLNVBc9jvH0UD2ANrQqrMJpaXrUTEESdM1GZb2ABEs
        Vo+CTeOlAgMBAAECggEAAv25AgcULFAjcQDFNCjCSbXEC1EIXORDCgoFkMThUQ5S
        Cn/BXSLBz0KPziyF0hmdcEJOsHLCKV3qyoiK7tbGZplLfhIFh4UbtVetPcIM7Dm4
        8mRVnVqi7sb+TDVAQ2gP+xReLpNv/uTsmHLP+u8XK5/vrnjSYaJ+P3RAhQYqJXzV
        tZPzon4dqz+2nzNS2feM09ibuOER52Z4/b/cydu5AF9gtSMpWmTbS2hD7VDHZz8c
        tYHnYdq2gD2gGWttq6Gv/7FaDVxACe09GNcO6scX7ZKdGT1q/K+0trLQES2keU7M
        UpRMjqG/6H02U2rjdZyZYSMp9TKR/c5T4PePpxCnewKBgQDtQpaoPATS28cjm954
        oGqunn0a4Z10BMrYC/ram0IlQlhBI/EXB/OcerowIkP72PcNY1fembfxxeCLP2CP
        RX7lYbslDzuoKKndfJEHxO3k7YM6dajDuk7Tfxb7cSSk6G5AG2kCcS24lsd5TMvJ
        GQrwciUOaG4ELz7MkDPQH1jYYwKBgQDMyY7aZOxrlW/+s/gqTo0VTw6V4RTSGFUv
        GUxswQZKQRNs/ow1DTmmJQqUv5gHA07zSFwgCXFB84lG4z3IdKdKFdyQFE5UCoZO
        yBbXDiwfRE8NxIMUgZDtpPymuxJd+Ck56swEH4nW27YpGUqrlFXzzIuwwcxzaUXz
        xnPPYjheVwKBgQDVRbklqyXu4Q6mDLOznQeoxeDRbCNcKf6orEQng862rWelzogm
        Wsh6TbvWDscruUGCsF1JRMabt3L72NGUmDTUPsC6NHI826it5w57fGMYGQSQZTl6
        D5xR83kWNwNolWKdj8YaIuClgCv49rZso2047HIw/GCAtHNv8OQSXks/3wKBgEIi
        sdTMFSIlb7bVDkczeRKxpmc2+o9jNldwlyLkL5DZdVmU11jmvYBvo/wn6AQTyHJ/
        Iulhw0bmTKYtCy3qpoAhkUqilC1F/NwCeIXZWNx8Jf+vQBnmQhTNXJ7H+YWJeF7w
        +hQ2z0ApUqnxNhE1ZZDHtTFPVSTMkb/JjmsiMEwfAoGBAN1/SASABH+ppyOg/9bA
        qIRsOTGBxY4Iye2batrv2/1dS8JLNVRLTQQwcyPXY6Cd1Rgn7LTq8gjEuQdwgbIN
        XkiYr3yYSW9EyKh3HoNK829YwYZeOKv4UK50wAWZqyK7NViDBJorb+CAhkyW/eQZ
        HqkV13Q5eGdCHJCDXqhVJzrm
        -----END PRIVATE KEY-----
        """

    static let smallPrivatePEM = """
        -----BEGIN PRIVATE KEY-----
        MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBAKhnmtNlQPVevK9+
        w188s/yL+ja0PQXIp9niMCfau7KVAiHiDY5HjDY05gE4F0QAxP8TzgEAtbKMEtD1
        ws/aORRGC1OPLkoQt5MgtJyiFouWq4/Mm1KHQfZDALCfVqehybppp0LkKA+IRpy0
        STVg+5mOGeyVLppcolEPcrDM87A1AgMBAAECgYEAgkBH5tM8z8trgw03jTTFPUMC
        z0bOn+eXs5UXi+vJGxHXKV/O/knmb5KwhybcD9PMikHGJs5mumdOsmIzQFJXrE5U
        geMZKxJ2pTkiYOellbw+1DiTfSnwCVO8njCGd1N6wMK8MsamwZTEP5YRlOMzftl0
        zOr4cZu7FNwhCxMM1c0CQQDTvkHqHJDGfkLFbSlMF3Q/7N5UiS3tatYsfh2yIOdL
        WUk2TT4vD6wT+vO+UGXqZceOlJ0C8/LwzViAVFybxpInAkEAy5pvW2imh4/+3o+0
        3BjuoijlVvY9pMx3t/oSaxaHzHOfa2BAyGFMzj00NsxOc6OP7IXcA5f/ad5usnOb
        5v8QQwJBAMet1OUc2R6GtRsPLXG3cIZULvpTfz80kBLXP9PamaQB6DvQLgMdaW5S
        KwffM60PHFiGJ2dAfGq/i2VBqS+x2+MCQEgSd/7UkbaFG4RvPGd5D+gpL93TtsiC
        dJKUnDZ6OEIAX9tjrCsCfmy3L6eCNPcsXAMu8032XTx9t5PF5tcjTP8CQGC9IGHv
        +MANMN2/iAbBBtwxu7JHAUGhNswWh6mH8n0cN2PsB8Ibn4srxM+JL/2DSNWgmU2W
        cD5u2gixQMPVxJM=
        -----END PRIVATE KEY-----
        """
}
