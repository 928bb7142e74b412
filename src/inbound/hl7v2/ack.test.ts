// Tests for ACK building and acknowledgment-mode rules (HL7 v2.5.1 ch. 2.9).
import { describe, expect, test } from 'vitest';
import { ackCodeFor, ackModeFor, buildAck, guessHl7Header, shouldSendAck } from './ack.ts';
import { parseHl7 } from './parse-hl7.ts';

function parsed(text: string) {
  const r = parseHl7(text);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

const NOW = new Date('2026-03-14T10:15:00Z');
const ORIGINAL = parsed(
  'MSH|^~\\&|EPICADT|GENHOSP|RXBRIDGE|CORNERPHARM|20260314101500||ADT^A03^ADT_A03|MSG0001|P|2.5.1\rPID|1||X',
);

describe('buildAck', () => {
  test('swaps sender and receiver and echoes the control id', () => {
    const ack = buildAck(ORIGINAL, 'AA', { now: NOW, ackControlId: 'ACK1' });
    expect(ack).toBe(
      'MSH|^~\\&|RXBRIDGE|CORNERPHARM|EPICADT|GENHOSP|20260314101500+0000||ACK^A03^ACK|ACK1|P|2.5.1\rMSA|AA|MSG0001\r',
    );
    const back = parsed(ack);
    expect(back.type).toBe('ACK^A03');
    expect(back.get('MSA-2')).toBe('MSG0001');
  });

  test('ERR segments carry location, table 0357 code, severity and user message (v2.5+)', () => {
    const ack = buildAck(ORIGINAL, 'AR', {
      now: NOW,
      issues: [
        {
          severity: 'error',
          code: 'required',
          path: 'PID-3[2].4',
          message: 'assigning authority is required',
        },
        { severity: 'warning', code: 'value', path: '', message: 'odd value | here' },
      ],
    });
    const m = parsed(ack);
    const errs = m.segments('ERR');
    expect(errs.length).toBe(2);
    expect(errs[0]!.get(2)).toBe('PID^1^3^2^4');
    expect(errs[0]!.get('3.1')).toBe('101');
    expect(errs[0]!.get(4)).toBe('E');
    expect(errs[0]!.get(8)).toBe('assigning authority is required');
    expect(errs[1]!.get(4)).toBe('W');
    expect(errs[1]!.get(8)).toBe('odd value | here');
    expect(m.get('MSA-1')).toBe('AR');
  });

  test('falls back to ERR-1 before v2.5 and puts the text in MSA-3', () => {
    const old = parsed('MSH|^~\\&|A|B|C|D|2026||ORU^R01|77|P|2.3\rPID|1');
    const ack = parsed(
      buildAck(old, 'AE', {
        now: NOW,
        text: 'not stored, retry later',
        issues: [{ severity: 'error', code: 'transient', path: 'MSH-10', message: 'x' }],
      }),
    );
    expect(ack.get('MSA-3')).toBe('not stored, retry later');
    expect(ack.get('ERR-1')).toBe('MSH^1^10^207&Application internal error&HL70357');
    expect(ack.get('ERR-1.4.1')).toBe('207');
    expect(ack.version).toBe('2.3');
  });

  test('a text without issues becomes an ERR for negative acknowledgments', () => {
    const ack = parsed(buildAck(ORIGINAL, 'AE', { now: NOW, text: 'message was not stored; retry later' }));
    expect(ack.get('ERR-8')).toBe('message was not stored; retry later');
    expect(ack.get('ERR-3.1')).toBe('207');
  });

  test('keeps the original delimiters so copied values stay valid', () => {
    const custom = parsed('MSH#!@%*#SEND!ER#FAC#RECV#FAC#2026##ADT!A01#MSG007#P#2.5\rPID#1');
    const ack = parsed(buildAck(custom, 'AA', { now: NOW }));
    expect(ack.delimiters.field).toBe('#');
    expect(ack.get('MSH-5')).toBe('SEND!ER');
    expect(ack.get('MSA-2')).toBe('MSG007');
  });

  test('best-effort AR for text whose MSH cannot be parsed', () => {
    const text = 'MSH|^~|APP|FAC|US|OURFAC|2026||ADT^A01|C123|P|2.4\rPID|1';
    const r = parseHl7(text);
    expect(r.ok).toBe(false);
    const ack = parsed(
      buildAck(undefined, 'AR', { now: NOW, guess: guessHl7Header(text), issues: r.issues }),
    );
    expect(ack.get('MSH-5')).toBe('APP');
    expect(ack.get('MSH-3')).toBe('US');
    expect(ack.get('MSA-2')).toBe('C123');
    expect(ack.get('ERR-1')).toBe('MSH^1^2^100&Segment sequence error&HL70357');
    const blind = parsed(buildAck(undefined, 'AR', { now: NOW, controlId: 'X1', receivingApp: 'RXBRIDGE' }));
    expect(blind.get('MSA-2')).toBe('X1');
    expect(blind.get('MSH-3')).toBe('RXBRIDGE');
    expect(blind.version).toBe('2.5.1');
    expect(guessHl7Header('garbage')).toEqual({});
  });
});

describe('acknowledgment mode', () => {
  const withModes = (accept: string, application: string) =>
    parsed(`MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|2.5|||${accept}|${application}`);

  test('original mode when MSH-15 and MSH-16 are empty', () => {
    const mode = ackModeFor(withModes('', ''));
    expect(mode).toEqual({ mode: 'original' });
    expect(ackCodeFor(mode, 'accepted')).toBe('AA');
    expect(ackCodeFor(mode, 'error')).toBe('AE');
    expect(ackCodeFor(mode, 'rejected')).toBe('AR');
    expect(shouldSendAck(mode, 'accepted')).toBe(true);
  });

  test.each([
    ['AL', true, true],
    ['NE', false, false],
    ['ER', false, true],
    ['SU', true, false],
    ['', true, true],
  ])('enhanced mode with MSH-15=%s: accept sent %s, error sent %s', (accept, onSuccess, onError) => {
    const mode = ackModeFor(withModes(accept, 'AL'));
    expect(mode.mode).toBe('enhanced');
    expect(ackCodeFor(mode, 'accepted')).toBe('CA');
    expect(ackCodeFor(mode, 'error')).toBe('CE');
    expect(ackCodeFor(mode, 'rejected')).toBe('CR');
    expect(shouldSendAck(mode, 'accepted')).toBe(onSuccess);
    expect(shouldSendAck(mode, 'error')).toBe(onError);
    expect(shouldSendAck(mode, 'rejected')).toBe(onError);
  });
});
