/* Test-only stand-in for Windows' bcryptprimitives.dll, for running the Windows build
 * under wine 8 (which lacks it). NEVER shipped: installer/test-windows-wine builds it
 * with mingw-w64 and copies it into a throw-away wine prefix's system32.
 *
 * PDFium (inside Qt6Pdf.dll) loads bcryptprimitives.dll at run time and calls
 * ProcessPrng for random bytes; without it QtPdf stops at a breakpoint (0x80000003).
 * This forwards to advapi32's RtlGenRandom (SystemFunction036), which wine has. */
#include <windows.h>
#define SystemFunction036 NTAPI SystemFunction036
#include <ntsecapi.h>
#undef SystemFunction036

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    while (size > 0) {
        ULONG chunk = size > 0x10000000 ? 0x10000000 : (ULONG)size;
        if (!RtlGenRandom(data, chunk)) return FALSE;
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}
