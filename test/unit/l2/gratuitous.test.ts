import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GratuitousScheduler } from '../../../src/speaker/l2/gratuitous.js';
import { ManualClock } from './fakes.js';

function setup() {
  const clock = new ManualClock();
  const rounds: { ip: string; at: number }[] = [];
  const s = new GratuitousScheduler(clock, (ip) => rounds.push({ ip, at: clock.now() }));
  return { clock, rounds, s };
}

test('a trigger sends at once, then every 1.1 s until 5 s have passed: rounds at 0, 1.1, 2.2, 3.3, 4.4 s', () => {
  const { clock, rounds, s } = setup();
  s.trigger('192.0.2.100');
  clock.advance(10_000);
  assert.equal(rounds.map((r) => r.at), [0, 1100, 2200, 3300, 4400]);
  assert.equal(s.active(), []);
  assert.is(clock.pending(), 0, 'no timer is left behind');
});

test('a trigger during a running burst extends it to 5 s from the new trigger instead of starting a second one', () => {
  const { clock, rounds, s } = setup();
  s.trigger('192.0.2.100');
  clock.advance(2000);
  s.trigger('192.0.2.100');
  clock.advance(10_000);
  // No extra immediate round at 2000; the ticker simply runs on until 7000.
  assert.equal(rounds.map((r) => r.at), [0, 1100, 2200, 3300, 4400, 5500, 6600]);
});

test('stop ends the burst at once: losing ownership sends nothing more', () => {
  const { clock, rounds, s } = setup();
  s.trigger('192.0.2.100');
  clock.advance(1500);
  s.stop('192.0.2.100');
  clock.advance(10_000);
  assert.equal(rounds.map((r) => r.at), [0, 1100]);
  assert.is(clock.pending(), 0);
});

test('bursts for different IPs are independent', () => {
  const { clock, rounds, s } = setup();
  s.trigger('192.0.2.100');
  clock.advance(500);
  s.trigger('2001:db8::100');
  s.stop('192.0.2.100');
  clock.advance(10_000);
  assert.equal(rounds.filter((r) => r.ip === '192.0.2.100').length, 1);
  assert.equal(rounds.filter((r) => r.ip === '2001:db8::100').map((r) => r.at), [500, 1600, 2700, 3800, 4900]);
});

test('a round that throws does not end the burst', () => {
  const clock = new ManualClock();
  let n = 0;
  const s = new GratuitousScheduler(clock, () => {
    n++;
    throw new Error('sys: send failed');
  });
  s.trigger('192.0.2.100');
  clock.advance(10_000);
  assert.is(n, 5);
});

test('stopAll ends every burst', () => {
  const { clock, rounds, s } = setup();
  s.trigger('a');
  s.trigger('b');
  s.stopAll();
  clock.advance(10_000);
  assert.is(rounds.length, 2);
  assert.is(clock.pending(), 0);
});

test.run();
