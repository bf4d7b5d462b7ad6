#!/usr/bin/env bash
# Regenerates Sources/BiscuitSchema/*.pb.swift from Proto/.
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift built from
# swift-protobuf at the version Package.swift pins:
#   git clone https://github.com/apple/swift-protobuf && cd swift-protobuf
#   git checkout 1.39.0 && swift build -c release --product protoc-gen-swift
# then pass its path as PROTOC_GEN_SWIFT or put it on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
plugin="${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift || true)}"
if [ -z "$plugin" ]; then
  echo "generate-protos: protoc-gen-swift not found (set PROTOC_GEN_SWIFT)" >&2
  exit 1
fi
protoc --plugin=protoc-gen-swift="$plugin" \
  --swift_opt=Visibility=Public \
  --swift_out=Sources/BiscuitSchema \
  -I Proto/biscuit Proto/biscuit/schema.proto
echo "generated Sources/BiscuitSchema/schema.pb.swift"
