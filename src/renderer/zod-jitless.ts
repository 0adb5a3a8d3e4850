import * as z from 'zod';

// zod 4 probes `Function('')` the first time an object schema parses, to decide whether to compile a fast
// parser; under our CSP (no 'unsafe-eval') that probe is a reported script-src violation. Jitless skips it.
z.config({ jitless: true });
