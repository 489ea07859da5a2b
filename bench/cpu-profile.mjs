// Preloaded into certtrail by BENCH_CPU_PROF (NODE_OPTIONS=--import=…; --cpu-prof itself is not
// allowed in NODE_OPTIONS): profiles the main thread from start to exit, then writes
// BENCH_CPU_PROF_FILE as a .cpuprofile (Chrome DevTools / bench/profile-summary.ts).
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_CPU_PROF_FILE;
if (file) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  // In-thread inspector sessions answer synchronously, so this works inside 'exit'.
  process.on('exit', () => {
    session.post('Profiler.stop', (err, res) => {
      if (!err) writeFileSync(file, JSON.stringify(res.profile));
    });
  });
}
