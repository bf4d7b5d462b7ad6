#ifndef BATON_CLIBFUZZER_H
#define BATON_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (LLVM 11 and later), for programs that keep their own
/// `main`: parses libFuzzer's flags from argc/argv and fuzzes `callback`.
/// Only linked into binaries built with `-sanitize=fuzzer`; declaring it costs
/// nothing elsewhere.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
