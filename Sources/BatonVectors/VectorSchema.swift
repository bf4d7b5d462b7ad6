/// The JSON Schema (draft 2020-12) of the vector files, written with them as `schema.json`; the
/// index's schema is `#/$defs/index`. It uses only the keywords the tests' validator knows.
public enum VectorSchema {
    public static let text = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://baton.invalid/vectors/schema.json",
          "title": "Baton test vectors (baton-vectors/1)",
          "description": "One profile's test vectors: verify requests of Baton's scenarios and the result each scenario expects.",
          "type": "object",
          "required": ["format", "profile", "generator", "header", "number_of_tests", "test_groups"],
          "additionalProperties": false,
          "properties": {
            "format": {"const": "baton-vectors/1"},
            "profile": {"$ref": "#/$defs/profile"},
            "generator": {"type": "string", "minLength": 1},
            "header": {"type": "array", "items": {"type": "string"}},
            "number_of_tests": {"type": "integer", "minimum": 1},
            "test_groups": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/group"}}
          },
          "$defs": {
            "profile": {"enum": ["aip-chained", "aip-compact", "aip-jwt-chain", "token-exchange", "zeroid", "agentic-jwt"]},
            "hex": {"type": "string", "pattern": "^([0-9a-f]{2})*$"},
            "nullableString": {"type": ["string", "null"]},
            "checkpoint": {
              "type": "object",
              "required": ["step", "line", "keyword"],
              "additionalProperties": false,
              "properties": {
                "step": {"type": "integer", "minimum": 1},
                "line": {"type": "integer", "minimum": 1},
                "keyword": {"type": "string", "minLength": 1}
              }
            },
            "group": {
              "type": "object",
              "required": ["scenario", "title", "summary", "file", "spec", "tags", "owasp", "cwe", "stateful", "tests"],
              "additionalProperties": false,
              "properties": {
                "scenario": {"type": "string", "minLength": 1},
                "title": {"type": "string"},
                "summary": {"$ref": "#/$defs/nullableString"},
                "file": {"type": "string", "pattern": "\\.yaml$"},
                "spec": {"type": "array", "items": {"type": "string"}},
                "tags": {"type": "array", "items": {"type": "string"}},
                "owasp": {"$ref": "#/$defs/nullableString"},
                "cwe": {"$ref": "#/$defs/nullableString"},
                "stateful": {"type": "boolean"},
                "tests": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/test"}}
              }
            },
            "test": {
              "type": "object",
              "required": ["id", "scenario", "checkpoint", "comment", "flags", "token", "forgery", "input", "result", "code",
                           "accepted_codes", "any_code", "step"],
              "additionalProperties": false,
              "properties": {
                "id": {"type": "integer", "minimum": 1},
                "scenario": {"type": "string", "minLength": 1},
                "checkpoint": {"$ref": "#/$defs/checkpoint"},
                "comment": {"type": "string"},
                "flags": {"type": "array", "uniqueItems": true, "items": {"type": "string", "minLength": 1}},
                "token": {"$ref": "#/$defs/nullableString"},
                "forgery": {"$ref": "#/$defs/nullableString"},
                "input": {"$ref": "#/$defs/input"},
                "result": {"enum": ["valid", "invalid", "acceptable"]},
                "code": {"$ref": "#/$defs/nullableString"},
                "accepted_codes": {"type": "array", "uniqueItems": true, "items": {"type": "string", "minLength": 1}},
                "any_code": {"type": "boolean"},
                "step": {"$ref": "#/$defs/nullableString"}
              },
              "allOf": [
                {
                  "if": {"properties": {"result": {"const": "valid"}}},
                  "then": {"properties": {"code": {"type": "null"}, "accepted_codes": {"maxItems": 0}, "any_code": {"const": false},
                                          "step": {"type": "null"}}}
                },
                {
                  "if": {"properties": {"result": {"const": "invalid"}}},
                  "then": {"properties": {"code": {"type": "string"}, "accepted_codes": {"minItems": 1, "maxItems": 1},
                                          "any_code": {"const": false}}}
                }
              ]
            },
            "input": {
              "description": "The verify params of docs/TESTEE-PROTOCOL.md; an absent token means none was presented.",
              "type": "object",
              "required": ["profile", "root_key", "now", "require_signed_delegation"],
              "additionalProperties": false,
              "properties": {
                "profile": {"$ref": "#/$defs/profile"},
                "token": {"type": "string"},
                "root_key": {"$ref": "#/$defs/hex"},
                "audience": {"type": "string"},
                "required_scope": {"type": "string"},
                "now": {"type": "integer"},
                "require_signed_delegation": {"type": "boolean"},
                "identities": {"type": "array", "items": {"$ref": "#/$defs/identity"}},
                "revocation": {"$ref": "#/$defs/revocation"},
                "issuer": {"type": "string"},
                "jwks": {"type": "string"},
                "layout": {"type": "string"},
                "max_depth": {"type": "integer"},
                "resource": {"$ref": "#/$defs/resource"},
                "profile_settings": {"type": "string"}
              }
            },
            "identity": {
              "type": "object",
              "required": ["id", "keys", "valid_from", "valid_until", "advertises_revocation"],
              "additionalProperties": false,
              "properties": {
                "id": {"type": "string"},
                "keys": {"type": "array", "items": {"$ref": "#/$defs/hex"}},
                "valid_from": {"type": "integer"},
                "valid_until": {"type": "integer"},
                "advertises_revocation": {"type": "boolean"}
              }
            },
            "revocation": {
              "type": "object",
              "required": ["refreshed_at", "revoked_keys", "revoked_ids", "max_staleness"],
              "additionalProperties": false,
              "properties": {
                "refreshed_at": {"type": "integer"},
                "revoked_keys": {"type": "array", "items": {"$ref": "#/$defs/hex"}},
                "revoked_ids": {"type": "array", "items": {"$ref": "#/$defs/hex"}},
                "max_staleness": {"type": "integer", "minimum": 0}
              }
            },
            "resource": {
              "type": "object",
              "required": ["session", "method", "url", "headers", "action"],
              "additionalProperties": false,
              "properties": {
                "session": {"type": "string"},
                "method": {"type": "string"},
                "url": {"type": "string"},
                "headers": {"type": "array", "items": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2}},
                "action": {"type": "string"}
              }
            },
            "index": {
              "type": "object",
              "required": ["format", "generator", "profiles", "scenarios"],
              "additionalProperties": false,
              "properties": {
                "format": {"const": "baton-vectors/1"},
                "generator": {"type": "string"},
                "profiles": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "required": ["profile", "file", "scenarios", "exported", "tests"],
                    "additionalProperties": false,
                    "properties": {
                      "profile": {"$ref": "#/$defs/profile"},
                      "file": {"type": "string", "pattern": "\\.json$"},
                      "scenarios": {"type": "integer", "minimum": 0},
                      "exported": {"type": "integer", "minimum": 0},
                      "tests": {"type": "integer", "minimum": 0}
                    }
                  }
                },
                "scenarios": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "required": ["scenario", "profile", "file", "tests", "exclusion", "reason", "left_out"],
                    "additionalProperties": false,
                    "properties": {
                      "scenario": {"type": "string"},
                      "profile": {"$ref": "#/$defs/profile"},
                      "file": {"type": "string"},
                      "tests": {"type": "integer", "minimum": 0},
                      "exclusion": {"enum": [null, "issuer_refusal", "token_service_refusal", "workflow", "no_verification", "skipped",
                                             "reference_failed"]},
                      "reason": {"$ref": "#/$defs/nullableString"},
                      "left_out": {
                        "type": "array",
                        "items": {
                          "type": "object",
                          "required": ["checkpoint", "reason"],
                          "additionalProperties": false,
                          "properties": {"checkpoint": {"$ref": "#/$defs/checkpoint"}, "reason": {"type": "string"}}
                        }
                      }
                    },
                    "allOf": [
                      {
                        "if": {"properties": {"tests": {"const": 0}}},
                        "then": {"properties": {"exclusion": {"type": "string"}, "reason": {"type": "string"}}},
                        "else": {"properties": {"exclusion": {"type": "null"}, "reason": {"type": "null"}}}
                      }
                    ]
                  }
                }
              }
            }
          }
        }

        """#
}
