/* A stand-in for Windows' bcryptprimitives.dll, which Wine 8 lacks: every Rust program since 1.78
 * imports its ProcessPrng for random seeds and exits at once (status 53) without it. Put in the
 * throwaway Wine prefix of `make test-windows` only; Windows 10/11 and Wine 9 have the real one. */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
