/* tests/support/files.h — files a test writes for the program under test. */
#ifndef TEST_FILES_H
#define TEST_FILES_H

/* Writes text to dir/name (created or truncated); asserts that it worked. */
void write_file(const char *dir, const char *name, const char *text);

#endif
