# cmake -DINPUT=events.fbs -DOUTPUT=file.cc -P embed_schema.cmake
# Writes a C++ source defining hearth::replay::kEventsSchemaText (replay/schema_text.h) as a raw
# string literal holding INPUT verbatim.
file(READ ${INPUT} SCHEMA_TEXT)
set(DELIM "hearth_fbs")
string(FIND "${SCHEMA_TEXT}" ")${DELIM}\"" CLASH)
if(NOT CLASH EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )${DELIM}\"; pick another")
endif()
file(WRITE ${OUTPUT}.tmp
  "// Generated from ${INPUT} by replay/embed_schema.cmake. Do not edit.\n"
  "#include \"replay/schema_text.h\"\n\n"
  "namespace hearth::replay {\n"
  "const std::string_view kEventsSchemaText = R\"${DELIM}(${SCHEMA_TEXT})${DELIM}\";\n"
  "}  // namespace hearth::replay\n")
# Only touch OUTPUT when the text changed, so an unrelated re-run does not recompile it.
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
