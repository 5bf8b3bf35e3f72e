// Preloaded (`node --require`) into a process whose clock must run ahead of (or behind) the
// database's: CLOCK_SKEW_MS is added to every reading of the wall clock (Date.now, new Date()).
const skew = Number(process.env.CLOCK_SKEW_MS || 0);
if (skew !== 0) {
  const RealDate = Date;
  class SkewedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + skew);
      else super(...args);
    }
    static now() {
      return RealDate.now() + skew;
    }
  }
  globalThis.Date = SkewedDate;
}
