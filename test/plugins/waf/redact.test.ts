import { expect } from 'chai';
import { isLuhnValid, isSensitiveField, redactExcerpt, redactValue } from '../../../plugins/waf/engine/index.js';

describe('waf redaction', () => {
  it('validates card numbers with Luhn', () => {
    expect(isLuhnValid('4111111111111111')).to.equal(true);
    expect(isLuhnValid('4111111111111112')).to.equal(false);
    expect(isLuhnValid('378282246310005')).to.equal(true);
    expect(isLuhnValid('123')).to.equal(false);
  });

  it('masks Luhn-valid 13-19 digit runs, with spaces or dashes, but keeps other numbers', () => {
    expect(redactValue('card 4111 1111 1111 1111 ok')).to.equal('card [CARD] ok');
    expect(redactValue('5555-5555-5555-4444')).to.equal('[CARD]');
    expect(redactValue('order 1234567890123 shipped')).to.equal('order 1234567890123 shipped');
    expect(redactValue('tel +1 555 123 4567')).to.equal('tel +1 555 123 4567');
  });

  it('replaces whole values of credential and payment fields', () => {
    for (const name of ['password', 'new_password', 'passwd', 'client_secret', 'access_token', 'api-key', 'cardNumber', 'cvv', 'cvc', 'x-auth-token', 'session_id', 'otp']) {
      expect(isSensitiveField(name), name).to.equal(true);
      expect(redactValue('hunter2', name)).to.equal('[REDACTED]');
    }
    expect(isSensitiveField('description')).to.equal(false);
  });

  it('masks tokens and key=value secrets inside free text', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.abcDEF123_-';
    expect(redactValue(`auth ${jwt}`)).not.to.include('eyJ');
    expect(redactValue('Authorization: Bearer abcdef0123456789')).not.to.include('abcdef0123456789');
    expect(redactValue('user=bob&password=hunter2&x=1')).to.equal('user=bob&password=[REDACTED]&x=1');
    expect(redactValue('key 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')).to.equal('key [TOKEN]');
  });

  it('uses the location to decide and truncates after redacting', () => {
    expect(redactExcerpt("x' OR 1=1", 'body.user.password')).to.equal('[REDACTED]');
    expect(redactExcerpt('x', 'body.card.number')).to.equal('[REDACTED]');
    expect(redactExcerpt('a'.repeat(200), 'query.q').length).to.equal(80);
    expect(redactExcerpt('<script>\n', 'query.q')).to.equal('<script> ');
  });
});
