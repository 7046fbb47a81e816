import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { createVelocityTools, renderTemplate, TemplateError } from '../src/index.js';

const tools = createVelocityTools();
const render = (template: string, data: Record<string, unknown> = {}) =>
  renderTemplate(template, { ...tools, ...data });

describe('Velocity rendering and tools', () => {
  it('when a value is null or missing, then formal ${x} prints its own name and silent $!{x} prints nothing (docs/genesys-facts.md#velocity-templates)', () => {
    const input = { a: null, b: 'B' };
    assert.equal(
      render('${input.a}|$!{input.a}|${input.nope}|$!{input.nope}|${input.b}', { input: { ...input } }),
      '${input.a}||${input.nope}||B',
    );
  });

  it('when jsonString/jsonEncode escape a value, then quotes, backslashes and newlines are JSON-escaped; null keeps formal/silent semantics', () => {
    const input = { q: 'a"b\\c\nd' };
    assert.equal(render('"$esc.jsonString($input.q)"', { input }), '"a\\"b\\\\c\\nd"');
    assert.equal(render('$esc.jsonEncode($input.q)', { input }), 'a\\"b\\\\c\\nd');
    assert.equal(
      render('[$!esc.jsonString($input.none)][$esc.jsonString($input.none)]', { input }),
      '[][$esc.jsonString($input.none)]',
    );
  });

  it('when URL escapes run, then url/urlFormEncode use + for spaces and uriEncode uses %20', () => {
    const input = { s: 'a b&c/é' };
    assert.equal(
      render('$esc.url($input.s)|$esc.urlFormEncode($input.s)|$esc.uriEncode($input.s)', { input }),
      'a+b%26c%2F%C3%A9|a+b%26c%2F%C3%A9|a%20b%26c%2F%C3%A9',
    );
  });

  it('when $esc.quote is used twice, then it prints "" (blueprint idiom)', () => {
    assert.equal(render('$esc.quote$esc.quote'), '""');
  });

  it('when $encoding.base64 encodes credentials, then it is base64 of the UTF-8 text', () => {
    const credentials = { clientId: 'id', clientSecret: 's€cret' };
    assert.equal(
      render('Basic $encoding.base64("${credentials.clientId}:${credentials.clientSecret}")', {
        credentials,
      }),
      `Basic ${Buffer.from('id:s€cret').toString('base64')}`,
    );
  });

  it('when $math operates, then it follows MathTool and prints the reference on a non-number', () => {
    assert.equal(
      render(
        '$math.add(1, "2")|$math.sub(5,2)|$math.mul(2,3)|$math.div(7,2)|$math.max(1,9)|$math.roundTo(2, 3.14159)',
      ),
      '3|3|6|3.5|9|3.14',
    );
    assert.equal(render('$math.add(1,"x")|$!math.add(1,"x")'), '$math.add(1,"x")|');
  });

  it('when firstFromArray reads a translated array, then it gives the first element as JSON, or the default when empty', () => {
    const ids = '["a","b"]';
    const none = '[]';
    assert.equal(
      render('$successTemplateUtils.firstFromArray("${ids}", "$esc.quote$esc.quote")', { ids }),
      '"a"',
    );
    assert.equal(
      render('$successTemplateUtils.firstFromArray("${none}", "$esc.quote$esc.quote")', { none }),
      '""',
    );
  });

  it('when moveKeysIntoArrayOfObjects runs (UNCONFIRMED semantics), then keyed objects become an array', () => {
    const byId = '{"q1":{"name":"Sales"},"q2":{"name":"Help"}}';
    assert.equal(
      render('$successTemplateUtils.moveKeysIntoArrayOfObjects("${byId}", "id")', { byId }),
      '[{"id":"q1","name":"Sales"},{"id":"q2","name":"Help"}]',
    );
  });

  it('when optionalQueryParam gets an empty value, then it prints nothing; otherwise name=value encoded', () => {
    const input = { q: 'a b', e: '' };
    assert.equal(
      render(
        '?x=1&$urlTool.optionalQueryParam("q", $input.q)|$urlTool.optionalQueryParam("e", $input.e)|$urlTool.optionalQueryParam("n", $input.n)',
        { input },
      ),
      '?x=1&q=a+b||',
    );
  });

  it('when a Java string method is used, then length() works', () => {
    assert.equal(render('${input.s.length()}', { input: { s: 'four' } }), '4');
  });

  it('when a template does not parse, then a TemplateError says so', () => {
    assert.throws(() => render('#if($input.x'), TemplateError);
  });
});
