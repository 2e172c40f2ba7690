/* Test-only stand-in for Windows' system icuuc.dll, for running the Windows build
 * under wine 8 (which has no ICU). NEVER shipped: installer/test-windows-wine builds it
 * with mingw-w64 and copies it into a throw-away wine prefix's system32.
 *
 * Qt6Core.dll imports these 20 ucnv_* functions (x86_64-w64-mingw32-objdump -p
 * Qt6Core.dll). Windows 10 1903+ ships the real library. This stand-in offers no
 * converters: ucnv_open fails, so Qt falls back to its built-in UTF-8/16/32 and
 * Latin-1 codecs, which is all the program uses. Every other function reports
 * U_UNSUPPORTED_ERROR (they are only reachable with an open converter). */
#include <stddef.h>
#include <stdint.h>

#define EXPORT __declspec(dllexport)
typedef int32_t UErrorCode;
typedef uint16_t UChar;
typedef int32_t UChar32;
typedef int8_t UBool;
typedef struct UConverter UConverter;
typedef void *Callback;

enum { U_FILE_ACCESS_ERROR = 4, U_UNSUPPORTED_ERROR = 16 };

static void fail(UErrorCode *err, UErrorCode code)
{
    if (err && *err <= 0) *err = code;
}

EXPORT UConverter *ucnv_open(const char *name, UErrorCode *err)
{
    (void)name;
    fail(err, U_FILE_ACCESS_ERROR); /* what ICU says for an unknown converter */
    return NULL;
}
EXPORT void ucnv_close(UConverter *c) { (void)c; }
EXPORT void ucnv_reset(UConverter *c) { (void)c; }
EXPORT int8_t ucnv_getMaxCharSize(const UConverter *c) { (void)c; return 1; }
EXPORT const char *ucnv_getName(const UConverter *c, UErrorCode *err)
{
    (void)c; fail(err, U_UNSUPPORTED_ERROR); return NULL;
}
EXPORT void ucnv_getToUCallBack(const UConverter *c, Callback *action, const void **ctx)
{
    (void)c;
    if (action) *action = NULL;
    if (ctx) *ctx = NULL;
}
EXPORT void ucnv_getFromUCallBack(const UConverter *c, Callback *action, const void **ctx)
{
    (void)c;
    if (action) *action = NULL;
    if (ctx) *ctx = NULL;
}
EXPORT void ucnv_setToUCallBack(UConverter *c, Callback action, const void *ctx,
                                Callback *old, const void **oldCtx, UErrorCode *err)
{
    (void)c; (void)action; (void)ctx;
    if (old) *old = NULL;
    if (oldCtx) *oldCtx = NULL;
    fail(err, U_UNSUPPORTED_ERROR);
}
EXPORT void ucnv_setFromUCallBack(UConverter *c, Callback action, const void *ctx,
                                  Callback *old, const void **oldCtx, UErrorCode *err)
{
    ucnv_setToUCallBack(c, action, ctx, old, oldCtx, err);
}
EXPORT void ucnv_cbToUWriteUChars(void *args, const UChar *src, int32_t len, int32_t off,
                                  UErrorCode *err)
{
    (void)args; (void)src; (void)len; (void)off; fail(err, U_UNSUPPORTED_ERROR);
}
EXPORT void ucnv_cbFromUWriteUChars(void *args, const UChar **src, const UChar *limit,
                                    int32_t off, UErrorCode *err)
{
    (void)args; (void)src; (void)limit; (void)off; fail(err, U_UNSUPPORTED_ERROR);
}
EXPORT void ucnv_toUnicode(UConverter *c, UChar **t, const UChar *tl, const char **s,
                           const char *sl, int32_t *offsets, UBool flush, UErrorCode *err)
{
    (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)offsets; (void)flush;
    fail(err, U_UNSUPPORTED_ERROR);
}
EXPORT void ucnv_fromUnicode(UConverter *c, char **t, const char *tl, const UChar **s,
                             const UChar *sl, int32_t *offsets, UBool flush, UErrorCode *err)
{
    (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)offsets; (void)flush;
    fail(err, U_UNSUPPORTED_ERROR);
}
EXPORT int32_t ucnv_toUCountPending(const UConverter *c, UErrorCode *err)
{
    (void)c; fail(err, U_UNSUPPORTED_ERROR); return 0;
}
EXPORT int32_t ucnv_fromUCountPending(const UConverter *c, UErrorCode *err)
{
    (void)c; fail(err, U_UNSUPPORTED_ERROR); return 0;
}
EXPORT const char *ucnv_getStandardName(const char *name, const char *standard, UErrorCode *err)
{
    (void)name; (void)standard; (void)err; return NULL; /* "no such name", not an error */
}
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *ctx, void *args, const UChar *units,
                                            int32_t len, UChar32 cp, int reason, UErrorCode *err)
{
    (void)ctx; (void)args; (void)units; (void)len; (void)cp; (void)reason;
    fail(err, U_UNSUPPORTED_ERROR);
}
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *ctx, void *args, const char *units,
                                          int32_t len, int reason, UErrorCode *err)
{
    (void)ctx; (void)args; (void)units; (void)len; (void)reason;
    fail(err, U_UNSUPPORTED_ERROR);
}
