// ncursesw, the wide-character build (Debian: libncurses-dev).
// SwiftPM drops pkg-config's -D flags, so wide characters are switched on here.
// Everything Swift cannot import (function-like macros, attribute bits, C
// globals that Swift 6 rejects as shared mutable state) is re-exported below.
#define NCURSES_WIDECHAR 1
#include <ncurses.h>
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>

static inline WINDOW *nc_stdscr(void) { return stdscr; }
static inline int nc_lines(void) { return LINES; }
static inline int nc_cols(void) { return COLS; }
static inline int nc_colors(void) { return COLORS; }
static inline int nc_color_pairs(void) { return COLOR_PAIRS; }
static inline void nc_getmaxyx(WINDOW *w, int *y, int *x) { getmaxyx(w, *y, *x); }
static inline int nc_key_f(int n) { return KEY_F(n); }

static const attr_t NC_A_NORMAL = A_NORMAL;
static const attr_t NC_A_BOLD = A_BOLD;
static const attr_t NC_A_REVERSE = A_REVERSE;
static const attr_t NC_A_DIM = A_DIM;
static const attr_t NC_A_UNDERLINE = A_UNDERLINE;
static const attr_t NC_A_STANDOUT = A_STANDOUT;
static const attr_t NC_A_ITALIC = A_ITALIC;

static const mmask_t NC_ALL_MOUSE_EVENTS = ALL_MOUSE_EVENTS;
static const mmask_t NC_REPORT_MOUSE_POSITION = REPORT_MOUSE_POSITION;
static const mmask_t NC_BUTTON1_PRESSED = BUTTON1_PRESSED;
static const mmask_t NC_BUTTON1_RELEASED = BUTTON1_RELEASED;
static const mmask_t NC_BUTTON1_CLICKED = BUTTON1_CLICKED;
static const mmask_t NC_BUTTON4_PRESSED = BUTTON4_PRESSED;
static const mmask_t NC_BUTTON5_PRESSED = BUTTON5_PRESSED;

/* ACS_* read acs_map[], valid only after newterm/initscr. */
static inline chtype nc_acs(char c) { return NCURSES_ACS(c); }
static inline int nc_setcchar1(cchar_t *cc, wchar_t ch, attr_t a, short pair) {
    wchar_t s[2] = {ch, 0};
    return setcchar(cc, s, a, pair, NULL);
}
/* glibc hides these behind _XOPEN_SOURCE, which Swift's Glibc module lacks. */
extern int wcwidth(wchar_t c);
extern int wcswidth(const wchar_t *s, size_t n);
