// The console's browser tests (Chromium) can be turned off for one run with
// BAZAAR_BROWSER_TESTS=0. CI does that in its second run only (.ci/node24: Node 24 on the embedded
// default): they drive the same pages in Chromium in the first run (the machine's Node, MariaDB +
// Redis), and the API they use is tested on both runs; running them twice took about 4.5 of the
// 30 minutes CI has. Anywhere else they run.

/** In a browser test's first `before`: skips the whole describe, saying why, when they are off. */
export function skipUnlessBrowserTests(test: Mocha.Context): void {
  if (process.env.BAZAAR_BROWSER_TESTS !== '0') return;
  console.warn(`skipped: ${test.test?.parent?.title ?? 'browser tests'}: BAZAAR_BROWSER_TESTS=0 (CI runs the console's browser tests once, in its MariaDB run)`);
  test.skip();
}
