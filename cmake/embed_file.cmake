# Writes INPUT as a byte array named SYMBOL into OUTPUT (run by sparks_embed_resources).
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
# As one string literal of \xNN escapes: bytes above 0x7f (UTF-8 text) are no narrowing to char.
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" bytes "${hex}")
file(WRITE ${OUTPUT} "extern const char ${SYMBOL}[];\nextern const unsigned long ${SYMBOL}_size;\nconst char ${SYMBOL}[] = \"${bytes}\";\nconst unsigned long ${SYMBOL}_size = ${size};\n")
