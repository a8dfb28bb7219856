// Imported for its effect by the scripts that run aws-local-stepfunctions:
// the package declares Node >= 22; on Node 18 and 20 the only missing API
// it uses is Promise.withResolvers (Node 22). Polyfill it.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolveFn;
    let rejectFn;
    const promise = new this((res, rej) => {
      resolveFn = res;
      rejectFn = rej;
    });
    return {promise, resolve: resolveFn, reject: rejectFn};
  };
}
