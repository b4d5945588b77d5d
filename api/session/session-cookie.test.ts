import { describe, expect, it } from 'vitest';
import { cookieValue, csrfTokenFor, sessionCookie } from './session-cookie.ts';

describe('session cookie', () => {
  it('reads the named cookie among others, decoded', () => {
    expect(cookieValue('a=1; sy_session=abc.def; b=%20x', 'sy_session')).toBe('abc.def');
    expect(cookieValue('b=%20x', 'b')).toBe(' x');
    expect(cookieValue(undefined, 'sy_session')).toBeUndefined();
    expect(cookieValue('sy_sessionx=1', 'sy_session')).toBeUndefined();
  });

  it('is httpOnly and SameSite=Strict, Secure outside development, and cleared with Max-Age=0', () => {
    expect(sessionCookie('t', { secure: true, maxAgeSec: 60 })).toBe('sy_session=t; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure');
    expect(sessionCookie(undefined, { secure: false, maxAgeSec: 60 })).toBe('sy_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
  });

  it('derives a CSRF token per session that another session cannot reuse', () => {
    expect(csrfTokenFor('a')).toBe(csrfTokenFor('a'));
    expect(csrfTokenFor('a')).not.toBe(csrfTokenFor('b'));
    expect(csrfTokenFor('a')).toMatch(/^[\w-]{43}$/);
  });
});
