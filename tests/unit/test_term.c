/* Unit tests for term.c: RML-Core IRI-safe encoding, IRI and language-tag
 * validity. */
#include "testutil.h"

#include "term.h"

/* Also checks the result: true when the output is ASCII only. */
static void check_safe(const char *in, const char *want) {
  kg_buf b = {0};
  const bool ascii = kg_iri_safe_append(&b, in, strlen(in));
  assert_string_equal(kg_buf_cstr(&b), want);
  bool want_ascii = true;
  for (const char *p = want; *p; p++)
    want_ascii &= (unsigned char)*p < 0x80;
  assert_int_equal(ascii, want_ascii);
  kg_buf_free(&b);
}

static void iri_safe_encodes_reserved_and_space(void **state) {
  (void)state;
  check_safe("s 2/x", "s%202%2Fx");
  check_safe("Bob/Charles", "Bob%2FCharles");
  check_safe("a?b#c&d=e", "a%3Fb%23c%26d%3De");
  check_safe("100%", "100%25");
  check_safe("-._~", "-._~");
}

static void iri_safe_keeps_non_ascii_letters(void **state) {
  (void)state;
  check_safe("Zoë", "Zoë");           /* U+00EB is ucschar */
  check_safe("Москва", "Москва");
  check_safe("\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"); /* U+1F600 */
  check_safe("a\xC2\xA0", "a\xC2\xA0");                /* U+00A0 */
}

static void iri_safe_encodes_controls_and_bad_utf8(void **state) {
  (void)state;
  check_safe("\t\n", "%09%0A");
  check_safe("\xFF", "%FF");
  check_safe("\xC3", "%C3"); /* truncated sequence */
  kg_buf b = {0};
  kg_iri_safe_append(&b, "a\0b", 3);
  assert_string_equal(kg_buf_cstr(&b), "a%00b");
  kg_buf_free(&b);
}

/* Every ASCII byte after "a:": only controls, space, DEL and <>"{}|^`\
 * make the IRI invalid ('%' needs two hex digits, tested above). */
static void iri_ascii_bytes(void **state) {
  (void)state;
  for (int c = 1; c < 0x80; c++) {
    if (c == '%')
      continue;
    const char s[4] = {'a', ':', 'b', (char)c};
    const bool want = !(c <= 0x20 || c == 0x7F || strchr("<>\"{}|^`\\", c));
    if (kg_iri_is_absolute(s, 4) != want)
      fail_msg("byte 0x%02X: want %d", c, want);
  }
}

/* kg_iri_is_clean: exactly the ASCII an IRI may hold (kg_iri_is_absolute's
 * bytes), no byte over 0x7F. */
static void iri_clean_bytes(void **state) {
  (void)state;
  for (int c = 1; c < 0x100; c++) {
    const char s[4] = {'a', ':', 'b', (char)c};
    const bool want = c < 0x7F && c > 0x20 && !strchr("<>\"{}|^`\\", c);
    if (kg_iri_is_clean(s, 4) != want)
      fail_msg("byte 0x%02X: want %d", c, want);
  }
  assert_true(kg_iri_is_clean("", 0));
}

static void uri_safe_encodes_non_ascii(void **state) {
  (void)state;
  kg_buf b = {0};
  kg_uri_safe_append(&b, "Zo\xC3\xAB Kr/-._~", 12);
  assert_string_equal(kg_buf_cstr(&b), "Zo%C3%AB%20Kr%2F-._~");
  kg_buf_free(&b);
}

static bool abs_iri(const char *s) { return kg_iri_is_absolute(s, strlen(s)); }

static void absolute_iris(void **state) {
  (void)state;
  assert_true(abs_iri("http://example.com/a%20b"));
  assert_true(abs_iri("urn:isbn:123"));
  assert_true(abs_iri("http://example.com/Zoë"));
  assert_false(abs_iri("example.com/x"));
  assert_false(abs_iri("http://example.com/a b"));
  assert_false(abs_iri("http://example.com/<x>"));
  assert_false(abs_iri("http://example.com/%2"));
  assert_false(abs_iri("http://example.com/{x}"));
  assert_false(abs_iri("1http://x"));
  assert_false(abs_iri(""));
  assert_true(kg_iri_has_scheme("http://x y", 10));
  assert_false(kg_iri_has_scheme("no scheme", 9));
}

static bool lang(const char *s) { return kg_langtag_is_valid(s, strlen(s)); }

static void language_tags(void **state) {
  (void)state;
  assert_true(lang("en"));
  assert_true(lang("fr"));
  assert_true(lang("en-US"));
  assert_true(lang("zh-Hant-TW"));
  assert_true(lang("sr-Latn-RS"));
  assert_true(lang("de-CH-1996"));
  assert_true(lang("es-419"));
  assert_true(lang("x-private"));
  assert_true(lang("en-a-bbb-x-ccc"));
  assert_true(lang("i-klingon"));
  assert_true(lang("EN-gb"));
  assert_false(lang(""));
  assert_false(lang("a-english")); /* RMLTC0015b */
  assert_true(lang("english-language")); /* 5-8 alpha language + variant */
  assert_false(lang("12-US"));
  assert_false(lang("en-"));
  assert_false(lang("-en"));
  assert_false(lang("en--US"));
  assert_false(lang("en_US"));
  assert_false(lang("e"));
  assert_false(lang("en-US-toolongsubtag"));
  assert_false(lang("en-a"));
  assert_false(lang("fr x"));
}

static void utf8_validity(void **state) {
  (void)state;
  assert_true(kg_utf8_is_valid("héllo", strlen("héllo")));
  assert_false(kg_utf8_is_valid("\xC0\xAF", 2));     /* overlong */
  assert_false(kg_utf8_is_valid("\xED\xA0\x80", 3)); /* surrogate */
  assert_false(kg_utf8_is_valid("\xF4\x90\x80\x80", 4));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(iri_safe_encodes_reserved_and_space),
      cmocka_unit_test(iri_safe_keeps_non_ascii_letters),
      cmocka_unit_test(iri_safe_encodes_controls_and_bad_utf8),
      cmocka_unit_test(uri_safe_encodes_non_ascii),
      cmocka_unit_test(iri_ascii_bytes),
      cmocka_unit_test(iri_clean_bytes),
      cmocka_unit_test(absolute_iris),
      cmocka_unit_test(language_tags),
      cmocka_unit_test(utf8_validity),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
