/* A shared object that exports nothing Sparks looks for: refused with no_entry_point. */
int not_a_sparks_plugin(void);
__attribute__((visibility("default"))) int not_a_sparks_plugin(void) {
  return 42;
}
