import JOSE

/// Fixed RSA test keys (2048 bits, made once with `openssl genpkey`), because RSA keys cannot be
/// derived from a seed the way Baton's Ed25519 and P-256 keys are, and runs must be reproducible.
/// Key 0 signs the reference identity provider's intent tokens; keys 1–3 are foreign keys for
/// forgeries (`sign: mallory`); keys 4–7 are the agents' own keys for the legacy proof of
/// possession (`binding: jwk`). Never use them outside Baton's attack range: they are public.
enum FixedRSAKeys {
    /// The identity provider's key.
    static var issuer: JWSSigningKey { key(0) }

    /// A foreign RSA key for a named forger, stable per name.
    static func foreign(_ name: String) -> JWSSigningKey { key(1 + Int(hash(name) % 3)) }

    /// An agent's own RSA key (legacy proof of possession): the four usual agents have one each.
    static func agent(_ name: String) -> JWSSigningKey {
        let known = ["orchestrator", "researcher", "writer", "mallory"]
        return key(4 + (known.firstIndex(of: name) ?? Int(hash(name) % 4)))
    }

    /// FNV-1a of a name: stable across runs and platforms.
    static func hash(_ name: String) -> UInt32 {
        name.unicodeScalars.reduce(UInt32(2_166_136_261)) { ($0 ^ $1.value) &* 16_777_619 }
    }

    /// The PKCS#8 DER of key `i` (what a token-service set-up carries as `signing_key`).
    static func der(_ i: Int) -> [UInt8] {
        // The PEMs below are well-formed by construction; a failure here is a programming error.
        guard let (_, der) = try? PEM.decode(pems[i]) else { preconditionFailure("fixed RSA key \(i) is not PEM") }
        return der
    }

    static func key(_ i: Int) -> JWSSigningKey { keys[i] }

    /// The keys, loaded once (parsing an RSA PEM is not free, and forgeries ask for keys often).
    static let keys: [JWSSigningKey] = pems.enumerated().map { i, pem in
        guard let k = try? JWSSigningKey.rsa(pem: pem) else { preconditionFailure("fixed RSA key \(i) does not load") }
        return k
    }

    static let pems: [String] = [
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCd3EaKOuDd6wm9
        9Eu9gsuMb8l7V5ml7/xEFgaWNkvCZzpN/9X1CfJbSYNb7WcUYFPvJjTar6rGJUrm
        sKec66o5NsNdRJoaRKLl6wD5ytim9kEthDU/5yDD05YAFDKcidG+bUmiu6Qb5EF9
        B0XFog2raOJNQhvA2/yS5UB3gD+8sBGxJ8pvJC6ro/oLW2beLTMiw4cyHrsqIdEt
        kgnE9pNFOff7Cn+lbm8scSzyie4OpbZZdjp4sXyb8KTuX2/9jBp+8vE2jDntAzwj
        y7A32LF/lBZEwGazxCbx4HEHXimK9lIN6a7/E8NUYFvSGB5bxjNBlRbX4XsN0Jif
        BT+loIvDAgMBAAECggEATWVXsmMOp88aLict0ULk0DxokNAQtWI1kR4paZFCUJRy
        6hYSTPrs96PRwwrgvIVD8Z8OT9/Lvy0+jV80NoP2p+l5HGvLkDBxm38+MbopwaY/
        q3TD9Mo5brl4tB4y+Du7+Xy0mxQbcE9Xaljb9Pswb4dTWKSeXc6dhVnf4xceaMA3
        LANlksfwjIyo/bD6gzwKf5TWMz60UhXqvPkMnjltyKJ/Ym+Ne9r1Z6afBJtSjgvz
        mvO4IqJD+bNjZ0lw+eD3HbgWCi4HOKloKHzcQ00hxejtvmNwyJYdvO0fo5kA1wbK
        4w/s2SjFIRL5fZKg7jd8PgQDoYEmFgX9F6qsvDl/fQKBgQDM0qHVCD4+0oQ0I98l
        lSfaO/Uo3hsWOuiiI5f03dg3lcmFl2NArkz130S+Xwk5VIrAUJdTwVSU6jOsBiwe
        y88NMnA8J6Msi6vilr7Mnrf53JmrA5wkKMbahmG5k/ryh07s9Ech2v2w1OB9HmRo
        WrsYQZhfJ1+skmyNt7m1QzLUnQKBgQDFTbnK+5tjfCsePQm9bvDNRTk0BHQ1jMQd
        Pra/5uQiIyVAblyfCxPGqqpIC3Fyhy66BJ8fZHz/Dfffl/myIymwhtE+Ea+4fNG7
        ejcxdf0x2Jmoy4cJYbEkEL20inm9JJHO7i7bARri2+s7cs3BgpFap4RFdXCGXW7s
        yTh0rbGD3wKBgAY089aC03AP7RWvaJm49WY1nu5IHMYFrvsK3RX8iwrULTExLz7M
        iWSCCZFDTAJCv5moV42gNDH3Du3NmhSs1G9v8drA0L8O1HyfWNTWknit6LI3/8lQ
        uwXwQJHhHB+xXgDsPiOWgU2UheEExMIszbKkejuX89xE66k3whbuHGI5AoGAP0kA
        CBCONenU9r0DS8Sy7lR+1aV8FNUS7oJ4IbOQhzaYs0Ly6HyoGjgRqEwrVl3v6fCj
        jXEw+qpjUE+x4qaOr7V+lhccMuOubiD0ZSQAU6WzG8Y0iRjRtcy83JTyGW4KasJR
        OyPumMeLeyUGxEP6FYbX0WOq9R4w/zhHqH0yDCcCgYAwjZ5Ek5PcL40jYsoetCNL
        mlQDQVRywXzm27FORdvYcvIalPMgeW7fu8zTh9wpl3887jjw3VjpGSjVRMD0EQLQ
        5pPzclZY74LpisS5YahBkaYUr305Dk5Y69/YnuPMPq8TQWgzSuroAhi4oKwIiz8O
        nH9cf04TbYIqJPMIC8x0KQ==
        -----END PRIVATE KEY-----
        """,
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDGgiAbVIhR6hYx
        eDZwtfdgrDFXB5hUOLujAdcR1UdeQoVXZPzOUoro/xBm/QTGZ+TxKPnjIxA9fYCO
        GI1xmn4HCRo8ffJNYn7LNGg+3GtKrr8Q1OfVaXyQUa9VOlzZyPQfDgRYF11+L2q5
        woTTgjzhEhff8K2RMZPk/W0Y5shexGf5f0BKFsciooYFdyMN28LzEmL5Vn1vQAgU
        zrK41IyxP8uPy2lB1Nt/GS0KoD7AW1qez6hnfYkY2ONkC4hRRVCTsEfD+YJ9D5Dj
        hkLCbSuHk708n7L1gV6do0GwtVO0axFi4ACmSsnXoUxVKqJV+/w0MalOldzOZaPd
        zFPdsLJtAgMBAAECggEAFxWaULtRl/8KIioZ4J0Unbogib+hHAg179Ses1zzTfeb
        5Igiqwanz0UcHfHmDIGX+uB6QMr60D/IQ54A0tl1tvE8yxSVaSDfYFehmM/OrVJp
        dzZfGG8KNIk/Q8DD+/KVywe5AxqCfZJbjascgbE3TbAqNRlawdP7YCmFdpwd6IEn
        cchOFrPEUj/P9iOYdhb+0krHVv3UooHMp3WcLu9ZkCLwfSatqkLYn61kU+vtHK2d
        oAAgSSNIbLgN8YEtihkSfRjfDmdjHCM3dodHWD5E4cm84oM2Lp6P1bb/PoyJLarr
        ry5IgZ/eJjeHUG+jPFNqmQqcbtntmOjYeI8OAhLvkQKBgQD3nZFvI3gvtphh42sV
        /T1ee2inGW+viqT9sdvZ5aFe39kS3QAlnc4WARSr72SUf/fu+ljNptcZOk7T2X7c
        Fnvii7YaltpUg5aoj7YNHsZu1JhUmIxnGEIAg1X33xQoSV243xgV8eSFd4kl1SV1
        lKTwryZeAFR6c0mbZ/ftBcEQsQKBgQDNOuBK9z7IZWjREwFOoqVDv82e5NeO9WlQ
        KWH+ERScpCWLMF2daa4DUqKdF+YrERgPEnSlDLI966PlA5AWz43yZ6FbzHndUKLz
        Z2ndOpgHXCweBSPB5/z8fzIsiPS56OUTcyEvZDtp2dP2B81b2Zy/Vp2FnqRCSoBD
        GGfk+qdMfQKBgD7dy3HbIIWEp3Wa5rJDhFQ7otth8uAvpCohAP92dJ0A2j0WzRW/
        1fXyOkxY0EF/p/QNrYQxCsWF70OMIdBBCR0AebCQgkgYzKRpMEBugtTatv4raOI3
        33H/5lCzW4vK7LemNJhFvM5CBhkL36HVpnbRET2mecxI/vQs1l5gKp9RAoGBAJ5p
        JZt3wJQ6Am/u9YFW9a2XrQVKqkAEmadwad0MHhbSdNA9IuVQHysda7tKKTVw2ls3
        6aVEaYh2DGnHGD8jMfO7nccXy7DSfxTV69cBVTvJH5yEZxdTE+lp3LaXeB7P75HV
        ufW0rk+D/aHYX+DX1a+zEZ+D1lH844fmnLsX5m6ZAoGBAMJl2fVZeO5cn/hwFLll
        Oh24cropqJMk+vVCJEyz2FmY6aSUlmieu13kGXfkVE+S6oyBE2yAa6bHylHhv4lW
        89qCIZUgrQWGxJT+aS7RuGDngaGenSeiPDuZMg3Rz3GoksntufjTEWYaY+dGPVcd
        GOMKChCioMGdjsIBUGOB/gOa
        -----END PRIVATE KEY-----
        """,
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDHp3S5Koo0iuPx
        9nBrhSyvljZVrPjtFz9eouoPVlK5x4B80yUoCbZ465Mh08ltX0waNNzg0yF1D5LM
        EWAwpp0/hTZbZlIDnqf1UUAFGg1JiIe6IH78b30HW8tAia30qC23c25rsLNM5D7m
        bbfZ9ygwRPYSQls0gGSRy+DjWLKE9E1h4drCmv34K3PhvKM9hDIksIkb133xC5vt
        8k2LzHX2v9oH2pcv90De1jWPcyP1j/9bL5ZULx4qPAaq53bNwE6UHk9+dGdAUe1O
        s7LWhzJs0fLD1rnT7i6HJpEISoajLeiWOIrUP5YWDyLta03vIO0egXw95JvwSNGi
        LyJhUiwtAgMBAAECggEAJwwByMYAVhLUzklhhrG6wdNpqHtmCq55gwdvKdU65CEX
        qLH9yhUONhtygNLkCcsxvc1ZZnH8UOHdFqKOUq1/QwFJVnpOL22L0S9VCzpjX15/
        lwAMfc/LHtGN0H8swZTTrhV6Ar9B7deU0qmiI5OSLVCLZJpMLpousRHz11rNPTGW
        iv9x4E6DuQNz8qf+ey1aiId4VeDEyICXWFD8I0kkeS59RRe8pEnkfQKPglih8EuE
        qIej9ZPquDanu4ajQJjEAu/h7YFmuBUZvCXfwyJHD8KWQeAIsHapj/U5gC0YAxPA
        hYQuaK0GPDGFCtVhXh6aH95e4G+5/ta7v4l7YcoZ+QKBgQD43LrkWkHY2yyuGUaV
        dWPSIT/kO8KYQoMbDviqFG2kGykLMKFMjiMrMFoRmJEr3VQ7ZeZV6225Vg92xohQ
        GGZx/sRHqDu+9MfFuiQJHgh8JCKw1SXBMdyDaFoZpb0dToE+e+ISe/91cx8tcxlb
        8uISGqrvZs0dNusNjWj2XfSsuQKBgQDNYWpk6J4XaomFePgs/Hv1GZCscCudBO8t
        lw964rSDm1ORzmunaqWqrYAR3uHX9ZxpQSII3+rWSc2UxuEH1deFKDxg1s8XFgpV
        5JdVnSapa6ZGOOzovpqA5llaMPjpres+P3Qlh3kjLwYBJSBff2yiSsHysRnVTlxk
        HC31a9mJFQKBgQDxII5Fa96ZS+RC3GKztgZ+N5E8h1rJRMjbkuoFgb2qYFaobPoc
        vyv8UOE0Y2tl4RIYa2d+oJq0FVrubvbtBHdexMdR1wPsxig6wVzhKKR4BFtIk339
        b16GRLnoV9qhZst7y3UFC/g9yMnQs9FCclfxyr0NMcJUKD4f54BoFilYoQKBgH2F
        ijb+DJEXJdGTa2pjLYdRBqC9NYqT13IvnuBl6hl9Nwgn9petkG7N9zX02Gbaz6ts
        iVaPM8Gf/atuGV5mjX/uZWhyIMNlTw/L08oZb+Wfy1GjvPdKdrdNEVMUFy0KhHnY
        4i2FrL2aIbtVa4GyKTzPH9Yp8zXw3Hq61kPmlF85AoGAZch1pC0LQ1YwL5LA/fDD
        8CmFPF60otgyucaQA65kmXVMQ/0unqLy5eYT7PRfN91F8biDlgesGGPTVdsOZ/5u
        +Dau6MsRAdwbAs17q3H8+mgxfq4YZ6NVPVZ2/2qzbnroWCMnzmDfa0MVsAr7Nsxq
        nzRiYmKOBD9Zbib1uJQvF04=
        -----END PRIVATE KEY-----
        """,
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCLbjeX/calLkc0
        dWci3N/CeiiSzG55WUGz8/5qHPjPIR4V3ynlkr/0jRIrhFSx9GTROhCUlbzePKmV
        PdgkEcckAnDhu6Ur0y5ExBtJ52dA8zVcTm5v1xqtUuZcM2j8tdAGgkkxibzAkAhV
        AKEAGMtCcoS6mY0ulFYx/9IWiW7GimmwRls66I9CFuHgPkO0EYajtCk/cb7/xoN7
        Vl8UimMa8iNK5DOsPtkbErcl7h6rrMDCqaI+9ERy0tx+RW/fqBRVUhAnd/tKhGQw
        BvLNpT5i54eaxA0XG1enGU0oqS7oFGWtlB5sAwvls+Y2JrjY9O7f1UzhKrC1neRr
        mDCj+rM7AgMBAAECggEAE9oltzyDspQewPTbB5yMOCFIMp1B44GWYxwL7tQ2MYOl
        HXcbUjEX/KazXhfRg/mTUIj5wGDQ4JGhkaVvEgpSoNQUz3HLXYHhgMVX9Kiqdmsf
        1LHkHoTG1cPLwc1IwaZ/ZSswEbTAomg/j3QZ+FdkurlvIC8UaiaRCT3D42qTp60/
        8foa0KnoHmYK+HBlkHWB5w5EFdfek+Ef8ptwWv+xNighrqrffbZWOLbNwAmWEFHO
        +amoNQ6RWlUApggPLrC5lhiP9/J0+vHXR7c6Wu40lCXmhrr9GbHOM8DLsxyBvtFW
        JCVdAQTChLroRnNM/6pz8Xj+qGCgx4mHlm/U3hyN6QKBgQDEePj3xgXUYwSXlfTr
        ysHy3UdFOVSWg3oRkCbNuLXgvx3/J8S7HO84pevOqd8uW4KWOMDBkP7QhOKM015k
        zPb6WzjxI9/V+vErAPT258DJVYAIL0DNsUFTS1Pz2Fjn78KmXAJ1vDKhTLddfknF
        Rt+PT84IYCavl8U0gtgHKGcnaQKBgQC1rOMXzCCUMFonsM4slPN1hr6GKnwW+/+F
        rLSyZrdFgfCrNHXWGyWnNImVXZws85bJZsoRNMC5sdZZYO15t0IdbyB+q5bzIpGC
        /KPZWmN+leAZ/UmvRJgLHEXVI6mBEFBCAWUSstj79j++tHaxlNU34BzYnpwvraSM
        VgyQh6i1AwKBgQC4YQrMg9KuuWny0/CwY2xV/eFHjoDaa3JgDxbLUv+kddaxwGF4
        c7PwRo2gOXzP5WMMlSAXx3nKuBpfrHDWSh+xXXB3pIIILuKqx9Ab8evTReDMTYQU
        RLeYcoXLvgnZSAE02/4W/VHKW9Ns8vpKH7Pnqy4gYBOOD/Eq0Wvoc7symQKBgHV3
        xxJRC1Ol+/Uj7fuHh++a40AO4lNeNzawl9mubpwDy6B3eCWrQepeHwO0FlI+YmXx
        D4CWknK/GTCLaqFDq/0qKGGfAyhMVrfSMQNN3X0w3UkQq/8mpASzEDgjKetop+w1
        yKuRdplb/JWLTB/AcykAwMYTsDtn1DhlPxSIkr4PAoGBALHxUPK7Yuw4JtioSSir
        +ucV24qVFE8kJhsiVHeqXIXGw4ZRQC7AwIJdohxm+CfL36qG7wi9jvkM6cCVIPq8
        bGu651ozfCaQkaW1IBvgW/8XjeVWjI/p//kl9uuJ0mgR9QRoK3gyTnPJmTkHNA5b
        wRQD0Xz5pmzR2A6dziJbR6sT
        -----END PRIVATE KEY-----
        """,
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCg6Lpuirh2/h+m
        LkGBynod7HHgtEWqj9aQ7Qo1UAqYDom+RGWuGRnT8JLbXf8I80WlOCOlxDHTU1e3
        t6kSPqRpiqdVaLhH2CYa4PiodpTVq+2cT41iu5SeESsdsKy2i2rwUbXTX1P1jeHN
        lk31jXh9JtoEqnUXxKLpGlwgPmKXK2U727R0evYSLuW88l2pCl+DGA4OFcVAdW6C
        QMaMgT/YXbyJKB0iPfM97frQLf8tbCyq8pFaZXR1yW2hK49HQ1RRsTI4l+NnGbW/
        6XwVOHTKATIPpJj8EaC/ENtsJxbWemo6dAmpb0ENQwLmGZV1wTiDGok8NXiy3iTw
        KfjuZ/4hAgMBAAECggEAT3gBMz0Bs4r4OIuZwK8uNn8jEtYVnhIh5zuakg/w2346
        mySOjzhIYDrtXLgEj/gNynZ6bJEEBpmftdVYA/G6I4Hd+LmaYakn0JiRVioSgaDC
        3jMP4dZApPxXrfcmpZUfgIbqZPUssxaakX2NDRwMiMraW/mPkOiFiNiC7U3CRWPZ
        vDL/sWcKYYLjtd5fIj4KViBz7fc6gFd9UuLmqIRzB6yfZlxnahazEhpq3KVzO7yG
        AxxvMl5zKXNwjAlV5Og52nGurGJH3AC/Cf3W6EfuRwkwZv9tiPIqx/Smg4nmrJrz
        EsG2ExipeqwUypY0ESrWv1eq5m7aK/63NS8U3P96rQKBgQDPFnH8HyVculm61u8l
        2A98a7CXAExp4V5vIJEPoCzP22F8UG30+LXBdDqvFTisj00d+sYf/yJ3GWS4Zeft
        GY1HIK6MP6k0v4SVgHjvDGIgmWHrnT0cVXzQx6P6qfNYFAJxBPMpdOHS8L9lvWFD
        oQ8F5ZbHTQju+G4mOM7e0nvjSwKBgQDG6hhr2vCxqOifZ3ysTrJizSlMLqP3THCW
        uQ78TNaQjsWrE4P43Fwzpew8Lh12nIJ+tdlUXNKWKUllrRRucSURdw8Ggz4S4wYi
        MhDlkfY9CinbubEoYdYK3bNs1KSwKbo3YNsfRH/qn+wryjhHZUNJUklAKGhV2jnO
        jKjDT9gUwwKBgB/Cfnq/QBinj8li20x/hWh8j5mo9w8p/DSo1vaBhz3dlGbfYu22
        ExH3RGTDqWx1kcsuQaJ4m42OfG73Wgl36L3m2j4yKT4ovSm8iU+II6iCPY1IES4+
        QiU26QQxelugvfsdWjmabmPOflwZHkij88zguC4at2sG+MWt4rQzrcJfAoGBAJRM
        4eo/sGX0VYLK6BObFLo+1YRb3Zk5n1NwI3ENZIcgOtViVmlK+V70XJ09kG/nHg+U
        SrTwA306yOMKWIpCxu0vg79KSBRSuDb0ds6BtUEq+6w61I8T6j3trqD8JNDGO3Sg
        PJ4iNvBZTP4U5UKth635sG0p8yfW7HRHQGdldud7AoGBAJTVUQdkmO5mF6EkIEfk
        W2hCN26S3Iz7UBXCm8xLxS2cfCCZJXs8at4vwBhhmSMl77iRhL1nq7cCr2vMEj2F
        WuN9vek1khB5zo3p39DOcQTO8AXLDwXfk2gpVitZjsU4PPwzF/kyKIYWyFo5iSpr
        3pu1VmcgLxKiNsLIV8z5JGgJ
        -----END PRIVATE KEY-----
        """,
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvwIBADANBgkqhkiG9w0BAQEFAASCBKkwggSlAgEAAoIBAQDa0ZqcnC/mvYNg
        FcPuXMTevpgl7erE5RHYAvL3P6uDh1UgC61Rwkl0XfgKDffbp+nNL4ChA3WxG1mD
        jHr5taNKHqy0Av4cPbK4N0mbWJ7+Ru1tjkeCmXYAsIaH4wqZQqgSF0koTqtOwTZO
        471Xh/hrUlstmWlSuBcMgt+J8VaKyXd46hNB2I8hIvCi/zTm2KkAht6ZS6r8Dssa
        up/tdTJ3/G8gpOmMaNfbiqtUrue3LQ6ANVYjeGBBGHMwgA1Hba11sv6RIqXcWCN8
        0aVPC+CJ3mpNgqcys0zeO9xrXd7muYLswyI/7FfrfE/fzPNr1emjjK4UPTIRC1ZC
        1Hy1pbmtAgMBAAECggEAW/y6aPTVxEPN+zIbLFSuZE8uSd+jDoOXxT20IxGOihv1
        wqN2CIVK+NLaB2wI0rvbcyjxg36fVsU/E6iWN+xOSUXs5z3M0lVzkLKZTGdsa0uo
        2yHxWOsnarHK1EwzM+uMGRLV685qgJCDwpVFjwr3eTJlZx1zY9VExzsrOuOMNIom
        n9tJFm8wl7pJs1IhjXex9kWmyHXhpX+aWzsPNZsqT3kEZk0fxOTWB1YiOoM9/MA8
        iL6JdMD0yGxpitErn80U54dZNEs1l/hF6z3jRd3YouzwpIhkUNnkbIrN3vjjvUSt
        YNH/X+HhSV7AqIwomhFekE0j/WLWYqUHz4w1fKMOtwKBgQD+S7wnHg+k+mH+MEuh
        mQplcHti/hR82LxlQhMXbOIT1CROjt8HG41AwhpngB1akLU/W13lgeG6J41DT6zl
        O+Q/EDcgVLT8UcRAiZ6/+c5fLZyJZ7d98MYWJR9B76LicZTgT3G9+/UC240cRiyd
        DpbkuvQX3WNnUx/HlB5G8jKR3wKBgQDcSQFUm6Y+7+++DJ7uAKNFNlo91iYRZhsi
        hcByGP4zqETTmJCzcj3GcM4pCRGcBH+5Kx9P2wOWlU1p+EfT4f6zCR02dAcsGOen
        uiSWAlvhhDLK0e1KzKsoqQQM0bPVf9IHGTk/yT503wVSKweX9+96aypsJPS2jOtf
        NqKmZMEd8wKBgQDQc5CmmDPGzyBo13oH24X0JUJfoVt2A8xbTNCNkUm5a1rfsqoM
        D3+4p+QxF4n4ZUrNxr2vlspMaIOZu8REnNW7BDXMIOPDOduf86/YOpP63U7GK+j0
        KdyW5pM6348sBGM/hJ/+Vn0/fG2t0bBchksW8FGLBoWnezI/zaEMExl1DQKBgQDE
        BvN4J0q5lyrxJKoJgefJH6UOghM+SG69OekXn8YWkhctdQbPqUnv3VKYkclp3VcL
        oKQsm+mFhzdspdTFaMcO631jh70aMM91IuCL3W2GMe5BLq7LcXaeqElCXxp5U1XD
        m16mtJ8vwYcqp8AKLEif193YfsqF6MFL6YK0L9TqoQKBgQCQzUdiyrRoYDxYdgyO
        YQ5+8IRwHogsJsPfgUcE1QhcHw+LkKG9koLW1MTQ67/VBJTxx+yz4JJbbARh7Yof
        yGP5GtL0/WLWSQp9Z8Jl+Q9GI2SMM/so8dFLguxV7a2slTvr6hrD5gnWFUh/pdp/
        QAXtlNqkZMCbWHmt76FqNacdFQ==
        -----END PRIVATE KEY-----
        """,
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCYf2gJAT0zoHt8
        0+lX9GYptByM7NvwiE9wtR6LmlX8rJasfNKiRFBhoPFWnsWVE8UUjL/qQjuKCelU
        i/TcWZqhu6gLyrGCaBsejdYQ1S4IHlZrKa+JzIJM/MB7aaB3OGNgFNEz4B4TzAtE
        gYG5DG19szdznvnHNKLIQLg3a+CCqIGPQhNPII5n2qskPofX7nPVI0bqCM+4Wwhb
        R3fztmAVewpu5ZqhplgyuJsWCYF9nJ+NbqvpvZ8yKws4T2fMQcLL4/9r8B2tkft5
        c4XvhF5ALnF88gDSA92ARgcX18lZqGsPJVtnGqWHaOg2wnGNGshMInbsSVl7AWLW
        Oz6co/UvAgMBAAECggEARtQOFvibW2ozUMQAAhkChmYgSJgOg0ZcV0XYPRDe1S+3
        /78t+a3vA5lD3m556Ia5J5VD4eMHUlLOK7WhceKwPmQxZeCr15zQ070e6syIx76H
        dthyrnbtIiLWp7tki1sGVO72R7jVX26K4TOhc7hA9nwRykLRUmOxI39j0GHrceNn
        uuQMTwAZ+Yrcd43KB8vqL1NXnIakDtO0G6bBhkRi+po5WBlXn7lR8dMuO8Olhdw8
        K371D8orZXH6JjsE9bQUUTMcVVE/BdAjkPGJD8gqymv8LsMVS2uNrXxjHdPmFW7P
        ryiXaq/DWDjQ7lcxtinq8xvLDkfYdt/qXJmOnScY2QKBgQDWXlfqUMOe09RUajEb
        uWLFWDToKQnm6VEdLdVFGVFqZXYp0BD5A7FIxh3bdVVd5kwt/zKWNFBylHm52ynF
        ZdT1m8b1L8dtBp060EBpguRn6L2QMv0EfPDoNHiCyiNn0JDMCDcw2Csghngo4oqT
        0EzYjGOTnkfnfmbbJOEtW9B6VQKBgQC2HQ9XGSeZIdK7uwR4CkcA6BT0+qeFmOuz
        fXzaXDDSioqM89Gl4417c+3ECQI+I1SQeVew5aHUUeNHOCYaj1Ljqo4LUPpWlg74
        +9ixN01GsllvgAqIRDZ3KsRJIrHEInibfJIelpQ7+jxwPvblfSAC5iHbxuMeuBT/
        kX6TFbv9cwKBgAmvb4dtqLj3VyONPLTE9np2FsXafNEK/5gy5uzdTPlipikTdoDZ
        stvX36d3sKiybAS0AAQbTvsuTCWiikuZ4zpJlH6lbvw1DUuH9zENMeaj9FSciSP3
        xSaooD1AhsL9AF3HjT7OtXwdtzYZrispgR9TkHgt8Y+6/UivbOEQweWVAoGADBZ1
        tDRJOpLSJ//L1iPofpjo+zG/+NAjpPBJXz0LSI5FkAGHAtnNxEn3mDF44qL5s/U5
        6tXzHeKpkUqazNyChfYGI54mX6TqLYCZ63leObkQ0qPPDyhn7RT7nlcdMYWQN9HW
        6QzZnfmIFXM4dBcQDuEzkiDrZliVnDkOC7k/lx0CgYEA1XZ2wzzOeWOehPivAjke
        iQ6kLPFcOVADuswtg39p4+UhCGOsoLqeBjyIbjeiDHG7ps8T3OnV6L3tU0bJgnn0
        ivU9pAen+2Xhi767AzwZkH4Hv57HouVCxPV6xE/r/ospvPAMFgzVBf0PpqZLUBLh
        P2pHTXMhR2vTZ0WOgdLDNkY=
        -----END PRIVATE KEY-----
        """,
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDGt1sw/PFsh10r
        iKLSP2m+z9iFvaun9pCpLkTQucd78Ofkp0s6SLosIXNl54h7TGYvXTWm/9mQAs8E
        M/FVSXaYcngedNG97hxLHpeWc64qrNJO3srISwT++WigS/v2GKcW3jP1LkVwn1Jj
        IkrzKNvGBhYANn1sRqtRvszF7FBOfXhQ6UPtPZXUIijRODudYQWsPYn5eP1in9b5
        zN3KEQqb81mfaJrFrDxmRNUoqeIRXcTxhzePnK0D+l1MCMHdzzCOxtzANt2sPqNE
        GSpFM3NnZ6DZWJdju7Gp566VepiTdIGBiLaGR2xu+s3JWUrklbgExPYKdsZ5lupL
        Tl5b97cTAgMBAAECggEAH91VDSTyXbHTGeD+IvKyNTvE/6UrenKKPebCeCniOBio
        Rr0gzgbNe7gddhDLjOHyXNP4f3/1VidtJMJjh4aRMt7gLhoTa/5boRwVuLVyDzvJ
        OYZ2Q+nrsisyQMoObCcF3B/jewRhdC7IGkdsd1Ns8nMVYhFayVsHq8MJuQ8szXj+
        tZMFqjCe6ILjYU06H5cv0Jmh52VmDqbvOLH2PMvmpNFawNsqI3xXaHSS3dqg3Egp
        k5iglo5JgTH+gzBY6BbyfsYqemlFaLXOUmgwCAc3Y/a1sq1kaRXXFcW5A6h3kTdV
        O3vMbTcme8HoZe+ULn0B4pjTkmXLuqXhzrLQSmwioQKBgQDvJeLcmnZC6lwm0Hok
        yH4sE7PBfTr2WJSH3uORv1FWbp6w3ST11gck3Bvq6aqUI7g9PffMcciNBfUraKmy
        adGPYP45n6d6w4jANiMykwL5xqiP3PqUMG7K2rbGkXuAZEbiuzR/X5K7h9aHh4I3
        2VMF36TOjPDAeRVU3adyvSOnkQKBgQDUuBnJ1I/m/q3rGYz4C35tii3iehEe72s3
        un1b9Hr5K/E1Hc+2/tV5QL0v21QC5sbI98mu5/i2WvEa3QqHUYAcvWtCSCa9aDrw
        3IvR7sROYmgPd09xawe2//0rs/Y/C9vIp3bI2TPPKQzvBw9RpdIR9nurwpNL7c6f
        nv2Lid5KYwKBgAm/IorZJL6/bHgMgR3kqffD6cyV/QQzQgJznBTBlmAObBtLOAlo
        6que6OhfE5usBQNB9kp3zLOqrX5SarAhze+pBVN15U6Ej5s92ZtjEHj7lr0eRXwq
        qSlNVqurHDx0Wcs90/ro+0L3W0/0vuLl0ZNotP/SELHXfX4S9pMfkEdxAoGAVx0Z
        +ozhbdEIuooZMA/M8+Etz1z8G/Yiq4zk/76MifST8JPH2AJevCxmDe49Zn7KE81e
        PBHlyhBOQxkY0bfvxlVQUrGno9PGp5M6c3vbytoEEalj0GfrnecR8E7f3ovlszPZ
        soE49XKzSERU4rQM5qxRk1K47dRy1O3Qmc+ZSE8CgYEAumhbl5xOVKwhkT/06PdI
        hirlVP/vPGOC8A8eFpAss6sQpl6CxX3rL5tp7CxekM7fpOD3eUGCBUHIxXRMNTqx
        D+Vzm0P2YFEYM4ImWrgJ9xm2OTXAWktqsUroYAYOpJrEfqo5Caibsj72pKV22pbG
        Lpsn5umH3t8sq/NNGCn2y2Y=
        -----END PRIVATE KEY-----
        """,
    ]
}
