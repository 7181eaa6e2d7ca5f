/* engine/value.c — see value.h. */
#include "value.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *must_alloc(eng_arena *a, size_t size) {
    void *p = eng_arena_alloc(a, size);
    if (!p) {
        fputs("streamlab: out of memory for records\n", stderr);
        abort();
    }
    return p;
}

eng_value eng_str(eng_arena *a, const char *s, size_t len) {
    char *p = must_alloc(a, len + 1);
    if (len) memcpy(p, s, len);
    p[len] = '\0';
    return (eng_value){.type = ENG_V_STR, .len = (uint32_t)len, .as.s = p};
}

eng_value eng_cstr(eng_arena *a, const char *s) { return eng_str(a, s, strlen(s)); }

eng_value eng_seq(eng_arena *a, eng_vtype type, const eng_value *items, size_t n) {
    eng_value *p = must_alloc(a, (n ? n : 1) * sizeof *p);
    if (n) memcpy(p, items, n * sizeof *p);
    return (eng_value){.type = type, .len = (uint32_t)n, .as.items = p};
}

eng_value eng_pair(eng_arena *a, eng_value k, eng_value v) {
    eng_value items[2] = {k, v};
    return eng_seq(a, ENG_V_TUPLE, items, 2);
}

eng_value eng_value_copy(eng_arena *a, const eng_value *v) {
    switch (v->type) {
    case ENG_V_STR:
        return eng_str(a, v->as.s, v->len);
    case ENG_V_TUPLE:
    case ENG_V_LIST: {
        eng_value *p = must_alloc(a, (v->len ? v->len : 1) * sizeof *p);
        for (uint32_t i = 0; i < v->len; i++) p[i] = eng_value_copy(a, &v->as.items[i]);
        return (eng_value){.type = v->type, .len = v->len, .as.items = p};
    }
    default:
        return *v;
    }
}

/* ---- equality and order --------------------------------------------------- */

static uint64_t double_bits(double d) {
    if (isnan(d)) return 0x7ff8000000000000ULL; /* doubleToLongBits canonical NaN */
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

int eng_value_equal(const eng_value *a, const eng_value *b) {
    if (a->type != b->type) {
        /* A grouped list and a tuple are both sequences to Lua and JSON. */
        if (!(eng_is_seq(a) && eng_is_seq(b))) return 0;
    }
    switch (a->type) {
    case ENG_V_NIL:
        return 1;
    case ENG_V_BOOL:
    case ENG_V_INT:
        return a->as.i == b->as.i;
    case ENG_V_DOUBLE:
        return double_bits(a->as.d) == double_bits(b->as.d);
    case ENG_V_STR:
        return a->len == b->len && memcmp(a->as.s, b->as.s, a->len) == 0;
    default:
        if (a->len != b->len) return 0;
        for (uint32_t i = 0; i < a->len; i++)
            if (!eng_value_equal(&a->as.items[i], &b->as.items[i])) return 0;
        return 1;
    }
}

static int rank(const eng_value *v) {
    switch (v->type) {
    case ENG_V_NIL:
        return 0;
    case ENG_V_BOOL:
        return 1;
    case ENG_V_INT:
    case ENG_V_DOUBLE:
        return 2;
    case ENG_V_STR:
        return 3;
    default:
        return 4;
    }
}

static int cmp_num(const eng_value *a, const eng_value *b) {
    if (a->type == ENG_V_INT && b->type == ENG_V_INT) return (a->as.i > b->as.i) - (a->as.i < b->as.i);
    double x = a->type == ENG_V_INT ? (double)a->as.i : a->as.d;
    double y = b->type == ENG_V_INT ? (double)b->as.i : b->as.d;
    if (isnan(x) || isnan(y)) return isnan(x) - isnan(y); /* NaN last */
    if (x != y) return (x > y) - (x < y);
    return (a->type == ENG_V_DOUBLE) - (b->type == ENG_V_DOUBLE);
}

int eng_value_cmp(const eng_value *a, const eng_value *b) {
    int ra = rank(a), rb = rank(b);
    if (ra != rb) return ra - rb;
    switch (ra) {
    case 0:
        return 0;
    case 1:
        return (int)(a->as.i - b->as.i);
    case 2:
        return cmp_num(a, b);
    case 3: {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = memcmp(a->as.s, b->as.s, n);
        return c ? (c > 0) - (c < 0) : (a->len > b->len) - (a->len < b->len);
    }
    default:
        for (uint32_t i = 0; i < a->len && i < b->len; i++) {
            int c = eng_value_cmp(&a->as.items[i], &b->as.items[i]);
            if (c) return c;
        }
        return (a->len > b->len) - (a->len < b->len);
    }
}

/* ---- JVM hashing ------------------------------------------------------------- */

static int32_t long_hash(int64_t v) { return (int32_t)(uint32_t)((uint64_t)v ^ ((uint64_t)v >> 32)); }

static int32_t double_hash(double d) {
    uint64_t b = double_bits(d);
    return (int32_t)(uint32_t)(b ^ (b >> 32));
}

static int utf8_cont(unsigned char b) { return (b & 0xC0) == 0x80; }

/* Decodes one UTF-8 sequence at s (n >= 1 bytes left) into *cp and returns
 * the bytes it takes, as new String(bytes, UTF_8) does in JDK 17: a malformed
 * sequence becomes one U+FFFD for its longest valid prefix (a lone byte, an
 * invalid lead C0, C1, F5..FF, or a cut-short sequence; E0 needs A0..BF next,
 * F0 90..BF, F4 80..8F), and an encoded surrogate (ED A0..BF xx) one U+FFFD
 * for its three bytes. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp) {
    unsigned c = s[0];
    *cp = 0xFFFD;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        if (n < 2 || !utf8_cont(s[1])) return 1;
        *cp = (c & 0x1Fu) << 6 | (s[1] & 0x3Fu);
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 2 || !utf8_cont(s[1]) || (c == 0xE0 && s[1] < 0xA0)) return 1;
        if (n < 3 || !utf8_cont(s[2])) return 2;
        uint32_t v = (c & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu);
        if (v < 0xD800 || v > 0xDFFF) *cp = v;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 2 || !utf8_cont(s[1]) || (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F)) return 1;
        if (n < 3 || !utf8_cont(s[2])) return 2;
        if (n < 4 || !utf8_cont(s[3])) return 3;
        *cp = (c & 0x07u) << 18 | (s[1] & 0x3Fu) << 12 | (s[2] & 0x3Fu) << 6 | (s[3] & 0x3Fu);
        return 4;
    }
    return 1;
}

static int32_t string_hash(const char *s, size_t n) {
    uint32_t h = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80) { /* ASCII: one UTF-16 unit, the byte itself */
            h = 31 * h + p[i++];
            continue;
        }
        uint32_t cp;
        i += utf8_next(p + i, n - i, &cp);
        if (cp >= 0x10000) { /* a surrogate pair in UTF-16 */
            cp -= 0x10000;
            h = 31 * h + (0xD800 + (cp >> 10));
            h = 31 * h + (0xDC00 + (cp & 0x3FF));
        } else {
            h = 31 * h + cp;
        }
    }
    return (int32_t)h;
}

static uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

/* scala.util.hashing.MurmurHash3 */
static uint32_t mm_mix_last(uint32_t h, uint32_t k) {
    k *= 0xcc9e2d51u;
    k = rotl32(k, 15);
    k *= 0x1b873593u;
    return h ^ k;
}

static uint32_t mm_mix(uint32_t h, uint32_t k) {
    h = mm_mix_last(h, k);
    h = rotl32(h, 13);
    return h * 5 + 0xe6546b64u;
}

static uint32_t mm_finalize(uint32_t h, uint32_t length) {
    h ^= length;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

/* Scala's ## (cooperative equality hash), scala.runtime.Statics (2.12):
 * longHash(l) = l if it fits an int, else Long.hashCode(l); doubleHash(d) =
 * the int if (int)d == d, else Long.hashCode((long)d) if (long)d == d, else
 * Float.hashCode((float)d) if (float)d == d, else Double.hashCode(d). So 1,
 * 1L and 1.0 hash alike inside a tuple, and 1.5 hashes as the float 1.5f.
 * Java's (int) and (long) casts saturate and send NaN to 0; C's are undefined
 * out of range, hence the explicit ranges (2^63 saturates to Long.MAX_VALUE,
 * which compares equal to 2^63 as a double). */
int32_t eng_value_coop_hash(const eng_value *v) {
    if (v->type == ENG_V_INT) {
        int64_t l = v->as.i;
        return (int64_t)(int32_t)l == l ? (int32_t)l : long_hash(l);
    }
    if (v->type == ENG_V_DOUBLE) {
        double d = v->as.d;
        if (d >= -2147483648.0 && d <= 2147483647.0 && (double)(int32_t)d == d) return (int32_t)d;
        if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 && (double)(int64_t)d == d)
            return long_hash((int64_t)d);
        if (d == 9223372036854775808.0) return long_hash(INT64_MAX);
        if (isfinite(d) && fabs(d) <= FLT_MAX && (double)(float)d == d) {
            float f = (float)d;
            uint32_t fb;
            memcpy(&fb, &f, sizeof fb); /* floatToIntBits: no NaN here */
            return (int32_t)fb;
        }
        if (isinf(d)) return d > 0 ? 0x7f800000 : (int32_t)0xff800000u; /* (float)d == d for infinities */
        return double_hash(d);
    }
    return eng_value_hash(v);
}

int32_t eng_value_hash(const eng_value *v) {
    switch (v->type) {
    case ENG_V_NIL:
        return 0;
    case ENG_V_BOOL:
        return v->as.i ? 1231 : 1237;
    case ENG_V_INT:
        return long_hash(v->as.i);
    case ENG_V_DOUBLE:
        return double_hash(v->as.d);
    case ENG_V_STR:
        return string_hash(v->as.s, v->len);
    default: {
        /* productHash(x, seed = 0xcafebabe) in Scala 2.12: the arity-0 case
         * hashes the prefix "Tuple0"-like names; we only meet arity >= 1. */
        uint32_t h = 0xcafebabeu;
        for (uint32_t i = 0; i < v->len; i++) h = mm_mix(h, (uint32_t)eng_value_coop_hash(&v->as.items[i]));
        return (int32_t)mm_finalize(h, v->len);
    }
    }
}

int32_t eng_pair_hash(int32_t h0, int32_t h1) {
    uint32_t h = 0xcafebabeu;
    h = mm_mix(h, (uint32_t)h0);
    h = mm_mix(h, (uint32_t)h1);
    return (int32_t)mm_finalize(h, 2);
}

int eng_value_partition(const eng_value *key, int num_partitions) {
    if (key->type == ENG_V_NIL) return 0;
    int32_t raw = eng_value_hash(key) % num_partitions;
    return raw < 0 ? raw + num_partitions : raw;
}

/* ---- text ---------------------------------------------------------------------- */

typedef struct out {
    char *buf;
    size_t cap, len;
} out;

static void put(out *o, const char *s, size_t n) {
    if (o->len < o->cap) {
        size_t room = o->cap - o->len - 1;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

static void puts_(out *o, const char *s) { put(o, s, strlen(s)); }

static void finish(out *o) {
    if (o->cap) o->buf[o->len < o->cap ? o->len : o->cap - 1] = '\0';
}

/* The digits Java's Double.toString prints for a finite d != 0, as JDK 17's
 * sun.misc.FloatingDecimal chooses them (Spark 3.5 and 4 run on Java 17):
 * writes the significant digits (no leading or trailing zeros) to digits and
 * returns the decimal exponent e, |d| ~ d1.d2d3... x 10^e.
 *
 * - An integral |d| < 2^63 prints its exact integer value, except that when
 *   its binary exponent b is 54 or more, the low floor((b - 54) * log10 2)
 *   digits (0 to 2) are rounded off half up (FloatingDecimal's
 *   developLongDigits with insignificantDigitsForPow2). So 2^60 + 2^8 prints
 *   1.15292150460684723E18, more digits than needed.
 * - Otherwise, the shortest digits that read back as d (the closest such
 *   when there are several), and never fewer than two when the shortest is
 *   one digit: the two-digit decimal closest to d (Double.MIN_VALUE prints
 *   4.9E-324, not 5.0E-324; for every normal double it is d1 followed by 0).
 *
 * JDK 17 is not shortest for a few more doubles (JDK-4511638, fixed in
 * JDK 19): 1.0E23 prints 9.999999999999999E22 there, 2.0E23
 * 1.9999999999999998E23, 2 x Double.MIN_VALUE 1.0E-323 (here 9.9E-324), and
 * some integral doubles of 2^63 and more print an extra digit; those are not
 * reproduced (41 of 200,000 sample doubles differ, all k x 10^22..10^23,
 * none of the 40,000 random bit patterns among them; 21 of 729,000 doubles
 * chosen near 2^53..2^63, subnormals and the 10^-3 and 10^7 bounds).
 * tests/golden/JvmValues.java prints the values the tests check. */
static int java_digits(double d, char *digits) {
    double ad = fabs(d);
    if (ad >= 1.0 && ad < 9223372036854775808.0 && floor(ad) == ad) {
        uint64_t v = (uint64_t)ad;
        int bin_exp = ilogb(ad), drop = 0, exp10 = 0;
        static const int insignificant[] = {0, 0, 0, 0, 1, 1, 1, 2, 2}; /* b - 54 = 0..8 */
        if (bin_exp >= 54) drop = insignificant[bin_exp - 54];
        if (drop) {
            uint64_t pow10 = drop == 1 ? 10 : 100, residue = v % pow10;
            v /= pow10;
            if (residue >= pow10 / 2) v++;
            exp10 = drop;
        }
        char buf[32];
        int n = snprintf(buf, sizeof buf, "%" PRIu64, v);
        exp10 += n - 1;
        while (n > 1 && buf[n - 1] == '0') n--;
        memcpy(digits, buf, (size_t)n);
        digits[n] = '\0';
        return exp10;
    }
    char g[40];
    int prec;
    for (prec = 0; prec < 16; prec++) {
        snprintf(g, sizeof g, "%.*e", prec, ad);
        if (strtod(g, NULL) == ad) break;
    }
    if (prec == 0) snprintf(g, sizeof g, "%.1e", ad); /* at least two digits */
    if (prec == 16) snprintf(g, sizeof g, "%.16e", ad);
    char *e = strchr(g, 'e');
    size_t nd = 0;
    for (char *p = g; p < e; p++)
        if (*p >= '0' && *p <= '9') digits[nd++] = *p;
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    digits[nd] = '\0';
    return atoi(e + 1);
}

/* Java's Double.toString: "NaN", "Infinity", "-0.0"; plain notation with at
 * least one fraction digit when 10^-3 <= |d| < 10^7 (by the printed digits),
 * else "<d1>.<rest or 0>E<exp>". */
static void java_double(out *o, double d) {
    if (isnan(d)) return puts_(o, "NaN");
    if (isinf(d)) return puts_(o, d > 0 ? "Infinity" : "-Infinity");
    if (d == 0) return puts_(o, signbit(d) ? "-0.0" : "0.0");
    char digits[32];
    int exp10 = java_digits(d, digits);
    int nd = (int)strlen(digits);
    if (d < 0) puts_(o, "-");
    if (exp10 >= -3 && exp10 < 7) {
        if (exp10 >= 0) {
            for (int i = 0; i <= exp10; i++) put(o, i < nd ? &digits[i] : "0", 1);
            puts_(o, ".");
            if (nd > exp10 + 1)
                put(o, digits + exp10 + 1, (size_t)(nd - exp10 - 1));
            else
                puts_(o, "0");
        } else {
            puts_(o, "0.");
            for (int i = 0; i < -exp10 - 1; i++) puts_(o, "0");
            put(o, digits, (size_t)nd);
        }
    } else {
        put(o, digits, 1);
        puts_(o, ".");
        if (nd > 1)
            put(o, digits + 1, (size_t)nd - 1);
        else
            puts_(o, "0");
        char ex[16];
        snprintf(ex, sizeof ex, "E%d", exp10);
        puts_(o, ex);
    }
}

/* nil, booleans and integers read the same in Spark's text and in JSON.
 * Returns 1 when v was one of them. */
static int put_plain_scalar(out *o, const eng_value *v) {
    char num[32];
    switch (v->type) {
    case ENG_V_NIL:
        puts_(o, "null");
        return 1;
    case ENG_V_BOOL:
        puts_(o, v->as.i ? "true" : "false");
        return 1;
    case ENG_V_INT:
        snprintf(num, sizeof num, "%" PRId64, v->as.i);
        puts_(o, num);
        return 1;
    default:
        return 0;
    }
}

static void format_value(out *o, const eng_value *v, int top) {
    if (put_plain_scalar(o, v)) return;
    switch (v->type) {
    case ENG_V_DOUBLE:
        java_double(o, v->as.d);
        break;
    case ENG_V_STR:
        put(o, v->as.s, v->len);
        break;
    case ENG_V_TUPLE:
        puts_(o, "(");
        for (uint32_t i = 0; i < v->len; i++) {
            if (i) puts_(o, ",");
            format_value(o, &v->as.items[i], 0);
        }
        puts_(o, ")");
        break;
    case ENG_V_LIST:
        puts_(o, "CompactBuffer(");
        for (uint32_t i = 0; i < v->len; i++) {
            if (i) puts_(o, ", ");
            format_value(o, &v->as.items[i], 0);
        }
        puts_(o, ")");
        break;
    }
    (void)top;
}

size_t eng_value_format(const eng_value *v, char *buf, size_t n) {
    out o = {buf, n, 0};
    format_value(&o, v, 1);
    finish(&o);
    return o.len;
}

static void json_string(out *o, const char *s, size_t n) {
    puts_(o, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        switch (c) {
        case '"':
            puts_(o, "\\\"");
            break;
        case '\\':
            puts_(o, "\\\\");
            break;
        case '\n':
            puts_(o, "\\n");
            break;
        case '\r':
            puts_(o, "\\r");
            break;
        case '\t':
            puts_(o, "\\t");
            break;
        default:
            if (c < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", c);
                puts_(o, esc);
            } else if (c < 0x80) {
                put(o, (const char *)&s[i], 1);
            } else {
                /* UTF-8 passes through; malformed bytes become \ufffd as
                 * Java decodes them (utf8_next), so the output stays valid
                 * JSON whatever the bytes. */
                uint32_t cp;
                size_t len = utf8_next((const unsigned char *)s + i, n - i, &cp);
                if (cp == 0xFFFD && !(len == 3 && memcmp(s + i, "\xEF\xBF\xBD", 3) == 0))
                    puts_(o, "\\ufffd");
                else
                    put(o, s + i, len);
                i += len - 1;
            }
        }
    }
    puts_(o, "\"");
}

/* A finite double as JSON: the shortest digits that read back as d, laid
 * out as ECMAScript's Number::toString does (plain from 1e-6 up to 1e21,
 * else "1e+21", "1.5e-7"), with ".0" after an integral plain form so that
 * it stays a double when read back. Non-finite: null. */
static void json_double(out *o, double d) {
    if (!isfinite(d)) return puts_(o, "null");
    if (d == 0) return puts_(o, signbit(d) ? "-0.0" : "0.0");
    char g[40], digits[20];
    int prec;
    for (prec = 0; prec < 16; prec++) {
        snprintf(g, sizeof g, "%.*e", prec, fabs(d));
        if (strtod(g, NULL) == fabs(d)) break;
    }
    if (prec == 16) snprintf(g, sizeof g, "%.16e", fabs(d));
    char *e = strchr(g, 'e');
    int k = 0;
    for (char *p = g; p < e; p++)
        if (*p >= '0' && *p <= '9') digits[k++] = *p;
    while (k > 1 && digits[k - 1] == '0') k--;
    int n = atoi(e + 1) + 1; /* d = 0.digits x 10^n */
    if (d < 0) puts_(o, "-");
    if (k <= n && n <= 21) {
        put(o, digits, (size_t)k);
        for (int i = k; i < n; i++) puts_(o, "0");
        puts_(o, ".0");
    } else if (0 < n && n <= 21) {
        put(o, digits, (size_t)n);
        puts_(o, ".");
        put(o, digits + n, (size_t)(k - n));
    } else if (-6 < n && n <= 0) {
        puts_(o, "0.");
        for (int i = 0; i < -n; i++) puts_(o, "0");
        put(o, digits, (size_t)k);
    } else {
        put(o, digits, 1);
        if (k > 1) {
            puts_(o, ".");
            put(o, digits + 1, (size_t)k - 1);
        }
        char ex[16];
        snprintf(ex, sizeof ex, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
        puts_(o, ex);
    }
}

static void json_value(out *o, const eng_value *v) {
    if (put_plain_scalar(o, v)) return;
    switch (v->type) {
    case ENG_V_DOUBLE:
        json_double(o, v->as.d);
        break;
    case ENG_V_STR:
        json_string(o, v->as.s, v->len);
        break;
    default:
        puts_(o, "[");
        for (uint32_t i = 0; i < v->len; i++) {
            if (i) puts_(o, ",");
            json_value(o, &v->as.items[i]);
        }
        puts_(o, "]");
    }
}

size_t eng_value_json(const eng_value *v, char *buf, size_t n) {
    out o = {buf, n, 0};
    json_value(&o, v);
    finish(&o);
    return o.len;
}

size_t eng_value_wire_size(const eng_value *v) {
    switch (v->type) {
    case ENG_V_NIL:
        return 1;
    case ENG_V_BOOL:
        return 2;
    case ENG_V_INT:
    case ENG_V_DOUBLE:
        return 9;
    case ENG_V_STR:
        return 5 + v->len;
    default: {
        size_t n = 5;
        for (uint32_t i = 0; i < v->len; i++) n += eng_value_wire_size(&v->as.items[i]);
        return n;
    }
    }
}
