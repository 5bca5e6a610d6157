import {
  findPlaceholders,
  headerComment,
  renderDatabase,
  renderPlaceholders,
  splitStatements,
  SqlScriptError,
} from './sql-script';

describe('splitStatements', () => {
  it('splits at semicolons that end lines and drops the empty tail', () => {
    expect(
      splitStatements(
        'CREATE TABLE a (x UInt8) ENGINE = Log;\nCREATE TABLE b (x UInt8) ENGINE = Log;\n',
      ),
    ).toEqual(['CREATE TABLE a (x UInt8) ENGINE = Log', 'CREATE TABLE b (x UInt8) ENGINE = Log']);
  });

  it('keeps a last statement without a semicolon', () => {
    expect(splitStatements('SELECT 1;\nSELECT 2')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('does not split inside string literals, with either quote escape', () => {
    expect(splitStatements("SELECT 'a;b', 'it\\'s;', 'x'';y';\nSELECT 2")).toEqual([
      "SELECT 'a;b', 'it\\'s;', 'x'';y'",
      'SELECT 2',
    ]);
  });

  it('does not split inside quoted identifiers', () => {
    expect(splitStatements('SELECT 1 AS "a;b", 2 AS `c;d`; SELECT 3')).toEqual([
      'SELECT 1 AS "a;b", 2 AS `c;d`',
      'SELECT 3',
    ]);
  });

  it('drops comments, including semicolons and quotes inside them', () => {
    const text = [
      "-- header; with 'quote",
      'SELECT 1 -- trailing; comment',
      "/* block; 'x' */ + 2;",
      '-- only a comment;',
      ';',
      'SELECT/**/3',
    ].join('\n');
    expect(splitStatements(text)).toEqual(['SELECT 1\n  + 2', 'SELECT 3']);
  });

  it('keeps -- and /* inside strings', () => {
    expect(splitStatements("SELECT '-- not a comment', '/* nor this */'")).toEqual([
      "SELECT '-- not a comment', '/* nor this */'",
    ]);
  });

  it('handles CRLF line ends', () => {
    expect(splitStatements('SELECT 1;\r\nSELECT 2;\r\n')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('reports unterminated literals and comments with the line', () => {
    expect(() => splitStatements("SELECT 1;\nSELECT 'oops", 'x.sql')).toThrow(
      /x\.sql: unterminated '-quoted text starting on line 2/,
    );
    expect(() => splitStatements('SELECT 1 /* never closed', 'y.sql')).toThrow(SqlScriptError);
  });

  it('returns nothing for whitespace and comments only', () => {
    expect(splitStatements('  \n-- nothing\n/* here */ ;; \n')).toEqual([]);
  });
});

describe('placeholders', () => {
  it('finds placeholders in code only', () => {
    const text = "SELECT {{a:String}} FROM {{database}}.t -- {{c:UInt8}}\nWHERE x = '{{d:String}}'";
    expect(findPlaceholders(text)).toEqual([
      { name: 'a', type: 'String' },
      { name: 'database', type: undefined },
    ]);
  });

  it('renders placeholders and leaves literals alone', () => {
    const out = renderPlaceholders("SELECT {{ x : String }}, '{{x:String}}'", () => "'v'");
    expect(out).toBe("SELECT 'v', '{{x:String}}'");
  });

  it('does not mistake braces in rendered values for malformed placeholders', () => {
    expect(renderPlaceholders('SELECT {{x:String}}', () => "'{{}}'")).toBe("SELECT '{{}}'");
  });

  it('refuses malformed placeholders', () => {
    expect(() => renderPlaceholders('SELECT {{x:String}', () => '1', 'q.sql')).toThrow(
      /q\.sql: malformed placeholder/,
    );
    expect(() => renderPlaceholders('SELECT {{1x}}', () => '1')).toThrow(SqlScriptError);
  });

  it('renders {{database}} as a checked identifier and nothing else', () => {
    expect(renderDatabase('CREATE TABLE {{database}}.t', 't_abc')).toBe('CREATE TABLE `t_abc`.t');
    expect(() => renderDatabase('SELECT {{tenant:String}}', 'db', 'm.sql')).toThrow(
      /m\.sql: unknown placeholder \{\{tenant:String\}\}/,
    );
    expect(() => renderDatabase('CREATE TABLE {{database}}.t', 'bad-name')).toThrow(/identifier/);
  });
});

describe('headerComment', () => {
  it('returns the leading -- block without dashes', () => {
    expect(headerComment('-- Title\n--\n-- Body line\nSELECT 1 -- not this')).toBe(
      'Title\n\nBody line',
    );
    expect(headerComment('SELECT 1')).toBe('');
  });
});
