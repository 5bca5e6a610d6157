import type { ViewSignal } from '../signals';

/**
 * The core phrases in Russian, Chinese, Japanese, Korean, Arabic and Hindi. They run only on
 * texts with characters of their script. The view maps many Cyrillic and Arabic letters to
 * Latin look-alikes and drops Devanagari vowel signs; the patterns are written in the script
 * and normalised the same way, so they still meet the text. Chinese and Japanese are `loose`
 * by nature (no spaces); Korean and Arabic glue particles and articles to words, so their
 * patterns use prefixes (`지시*`) or are loose.
 */
export const INTL_SCRIPT: readonly ViewSignal[] = [
  // Russian
  {
    id: 'override.ignore-instructions-ru',
    kind: 'override',
    w: 0.6,
    script: 'cyrillic',
    re: '(игнорируй*|проигнорируй*|забудь*|не обращай внимания на|не обращайте внимания на|отбрось*|отмени*|пренебреги)( (все|всё|всех|свои|твои|ваши|эти|любые|предыдущие|прошлые|прежние|изначальные|исходные|системные|вышеуказанные|ранее|данные|полученные))* (инструкци*|указани*|правил*|директив*|команд*|ограничени*|промпт*|установк*)',
  },
  {
    id: 'extraction.system-prompt-ru',
    kind: 'extraction',
    w: 0.55,
    script: 'cyrillic',
    re: '(покажи*|выведи*|раскрой*|повтори*|напиши*|распечатай*|скажи*|дай|процитируй*|переведи*|перескажи*)( мне)?( (свой|свою|свои|твой|твою|твои|весь|всю|все|полностью|дословно|точно|системный|системную|исходный|изначальный|начальный|скрытый|скрытые))* (промпт*|инструкци*|системн* (промпт*|сообщени*|инструкци*))',
  },
  {
    id: 'persona.no-rules-ru',
    kind: 'persona',
    w: 0.45,
    script: 'cyrillic',
    re: '((ты|вы) (теперь |сейчас )?(в )?(режим* разработчика|режим* dan|нейросеть без|ии без|ассистент без)|(которая|который|ты|вы) (может|можешь|можете) (всё|все|что угодно)|без (каких либо |всяких |любых )?(ограничений|правил|фильтров|цензуры))',
  },
  {
    id: 'persona.never-refuse-ru',
    kind: 'persona',
    w: 0.3,
    script: 'cyrillic',
    re: '((никогда не|не) (отказывает*|отказывай*|отказывайся|отказываешь*)|не выходи из роли)',
  },
  // Chinese
  {
    id: 'override.ignore-instructions-zh',
    kind: 'override',
    w: 0.6,
    script: 'cjk',
    re: '(忽略|无视|忽视|不要理会|别管|忘记|忘掉|抛开|丢弃|跳过|无需遵守|不要遵守|不再遵守)(之前|以前|先前|上面|上述|前面|此前|原来|原先|最初|所有|一切|全部|你的|你|您|的|系统|收到|得到|接到|被给予|给你)*(所有|全部|一切)?(的)?(指令|指示|规则|提示词|提示|设定|要求|命令|限制|约束)',
  },
  {
    id: 'extraction.system-prompt-zh',
    kind: 'extraction',
    w: 0.55,
    script: 'cjk',
    re: '((告诉我|显示|输出|打印|透露|泄露|重复|复述|给我|展示|翻译|写出|列出)(一下)?(你的|您的)?(完整的|全部的|原始的|最初的|隐藏的)?(系统提示词|系统提示|系统指令|系统消息|初始指令|原始指令|提示词|系统设定|设置说明)|把(你的|您的)?(完整的)?(系统提示词|系统提示|系统指令|初始指令|原始指令|提示词|设定|设置说明)(完整地|原封不动地|一字不差地|逐字)?(告诉我|显示|输出|打印|发给我|写出来|翻译))',
  },
  {
    id: 'extraction.text-above-zh',
    kind: 'extraction',
    w: 0.3,
    script: 'cjk',
    re: '(上面|以上|前面|之前)的(所有|全部)?(内容|文字|文本|话)',
  },
  {
    id: 'extraction.first-setup-zh',
    kind: 'extraction',
    w: 0.35,
    script: 'cjk',
    re: '最(开始|初|前面)的(那段|那些)?(设置|设定|系统)?(说明|指令|提示|内容|消息)',
  },
  {
    id: 'persona.no-rules-zh',
    kind: 'persona',
    w: 0.4,
    script: 'cjk',
    re: '(开发者模式|开发人员模式|越狱模式|无限制模式|上帝模式|(没有|无|不受)(任何)?(限制|约束|规则|过滤|审查))',
  },
  // Japanese
  {
    id: 'override.ignore-instructions-ja',
    kind: 'override',
    w: 0.6,
    script: 'cjk',
    re: '(これまで|以前|前|上記|先ほど|最初|元|すべて|全て|全部|あなた|君)(の)?(指示|命令|ルール|設定|プロンプト|規則|制約)(は|を)?(すべて|全て|全部)?(無視|忘れ|破棄|取り消)',
  },
  {
    id: 'extraction.system-prompt-ja',
    kind: 'extraction',
    w: 0.55,
    script: 'cjk',
    re: '(システムプロンプト|初期設定|最初に与えられた指示|最初の指示|元の指示|隠された指示|システムメッセージ|与えられた指示)(の内容)?(を|は)?(そのまま|一字一句|全文|すべて|全部|正確に)*(出力|表示|教え|書き出|見せ|繰り返|翻訳|印刷|共有|公開)',
  },
  {
    id: 'persona.no-rules-ja',
    kind: 'persona',
    w: 0.4,
    script: 'cjk',
    re: '(開発者モード|デベロッパーモード|脱獄モード|制限なし|制限のない|フィルターなし)',
  },
  // Korean
  {
    id: 'override.ignore-instructions-ko',
    kind: 'override',
    w: 0.6,
    script: 'hangul',
    re: '(이전*|앞의|앞선|위의|기존*|처음*|원래*|모든|시스템*)( [^ ]+){0,2} (지시*|지침*|명령*|규칙*|설정*|프롬프트*|제한*)( [^ ]+){0,2} (무시*|잊어*|따르지*)',
  },
  {
    id: 'extraction.system-prompt-ko',
    kind: 'extraction',
    w: 0.55,
    script: 'hangul',
    re: '(시스템 프롬프트*|시스템프롬프트*|초기 지시*|처음에 받은 지침*|처음 받은 지시*|원래 지시*|숨겨진 지시*|처음에 받은 지시*)( [^ ]+){0,5} (출력*|보여*|알려*|공개*|반복*|말해*|그대로*)',
  },
  {
    id: 'persona.no-rules-ko',
    kind: 'persona',
    w: 0.4,
    script: 'hangul',
    re: '(개발자 모드*|탈옥 모드*|제한 없*|제한이 없*|필터 없*)',
  },
  // Arabic
  {
    id: 'override.ignore-instructions-ar',
    kind: 'override',
    w: 0.55,
    script: 'arabic',
    re: '(تجاهل|انس|انسى|اترك|لا تتبع|لا تلتزم ب|تخل عن|اهمل|أهمل)( [^ ]+){0,2} (ال)?(تعليمات|قواعد|أوامر|اوامر|توجيهات|إرشادات|ارشادات|قيود)',
    loose: true,
  },
  {
    id: 'persona.no-rules-ar',
    kind: 'persona',
    w: 0.45,
    script: 'arabic',
    re: '((بلا|بدون|دون) (أي |اي )?(قيود|حدود|قواعد|رقابة|فلاتر|ضوابط)|(انت|أنت) (الآن )?(ذكاء اصطناعي|مساعد|نموذج)( [^ ]+)? (بلا|بدون|دون))',
  },
  {
    id: 'extraction.system-prompt-ar',
    kind: 'extraction',
    w: 0.5,
    script: 'arabic',
    re: '(اعرض|أظهر|اظهر|اكشف|كرر|اطبع|اكتب|أعطني|اعطني|قل لي)( [^ ]+){0,2} (موجه النظام|تعليمات النظام|رسالة النظام|التعليمات الأولية|تعليماتك|موجهك)',
  },
  // Hindi
  {
    id: 'override.ignore-instructions-hi',
    kind: 'override',
    w: 0.55,
    script: 'devanagari',
    re: '(पिछले|पहले के|पिछली|पूर्व|सभी|सारे|ऊपर के|मूल|सिस्टम)( [^ ]+){0,2} (निर्देश*|नियम*|आदेश*|हिदायत*|प्रतिबंध*)( [^ ]+){0,2} (को )?(अनदेखा|नज़रअंदाज़|नजरअंदाज|भूल|इग्नोर)',
  },
  {
    id: 'persona.no-rules-hi',
    kind: 'persona',
    w: 0.45,
    script: 'devanagari',
    re: '((कोई|किसी भी तरह की|बिना किसी) (पाबंदी|प्रतिबंध|रोक|सीमा|नियम|फ़िल्टर|फिल्टर)( [^ ]+){0,2} (नहीं|के बिना)|(मना मत करना|मना नहीं करना|इनकार मत करना|कभी मना))',
  },
  {
    id: 'extraction.system-prompt-hi',
    kind: 'extraction',
    w: 0.5,
    script: 'devanagari',
    re: '(सिस्टम प्रॉम्प्ट|सिस्टम संदेश|प्रारंभिक निर्देश|मूल निर्देश|अपने निर्देश)( [^ ]+){0,3} (दिखाओ|दिखाएं|बताओ|बताएं|लिखो|दोहराओ|प्रिंट)',
  },
  {
    id: 'override.from-now-on-intl',
    kind: 'override',
    w: 0.12,
    script: 'devanagari',
    re: 'अब से',
  },
  {
    id: 'indirect.note-to-ai-zh',
    kind: 'indirect',
    w: 0.45,
    script: 'cjk',
    re: '(致|给|写给|对|提示)(ai|人工智能|智能)?(助手|助理|模型|机器人|代理)',
  },
  {
    id: 'indirect.hide-from-user-zh',
    kind: 'indirect',
    w: 0.35,
    script: 'cjk',
    re: '(不要|别|切勿|不得)(向用户)?(提及|提到|告诉用户|透露|说明|告知)',
  },
  {
    id: 'indirect.note-to-ai-ru',
    kind: 'indirect',
    w: 0.45,
    script: 'cyrillic',
    re: '(внимание|вниманию|для|к сведению|примечание для|сообщение для) (ии|ai|ии агента|ии агент|ии ассистента|ассистента|ассистент|модели|бота|нейросети|агента)',
  },
  {
    id: 'override.stop-task-ru',
    kind: 'override',
    w: 0.35,
    script: 'cyrillic',
    re: '(прекрати|останови|брось|забудь|оставь) (текущую|свою|эту|исходную) (задачу|работу|инструкцию)',
  },
  {
    id: 'indirect.hide-from-user-ru',
    kind: 'indirect',
    w: 0.45,
    script: 'cyrillic',
    re: '((пользователю|пользователя)( [^ ]+){0,3} не (сообщай*|говори*|рассказывай*|упоминай*)|не (сообщай*|говори*|рассказывай*) пользовател*)',
  },
  {
    id: 'override.ignore-above-ko',
    kind: 'override',
    w: 0.45,
    script: 'hangul',
    re: '(위|위의|앞의|이전|앞) (내용*|지시*|말*)( [^ ]+){0,2} (신경 쓰지*|무시*|잊어*)',
  },
  {
    id: 'override.real-task-ko',
    kind: 'override',
    w: 0.35,
    script: 'hangul',
    re: '(진짜|실제|새로운|새) (임무*|목표*|역할*|작업*)',
  },
  {
    id: 'override.from-now-on-ko',
    kind: 'override',
    w: 0.12,
    script: 'hangul',
    re: '지금부터',
  },
  // The rules named without "previous" ("forget your rules"): weaker, since a user may speak
  // of their own rules; with a persona or "from now on" around them they add up.
  {
    id: 'override.drop-rules-ja',
    kind: 'override',
    w: 0.4,
    script: 'cjk',
    re: '(ルール|規則|指示|制約|ガイドライン|ポリシー)(は|を)?(すべて|全て|全部)?(無視|忘れ|破棄)',
  },
  {
    id: 'override.drop-rules-ko',
    kind: 'override',
    w: 0.4,
    script: 'hangul',
    re: '(규칙*|지침*|지시*|제한*|정책*|가이드라인*)( [^ ]+){0,1} (무시*|잊어*|잊*)',
  },
  {
    id: 'override.drop-rules-hi',
    kind: 'override',
    w: 0.4,
    script: 'devanagari',
    re: '(अपने|अपनी|अपना|तुम्हारे|तुम्हारी|सारे|सभी) (नियम*|निर्देश*|प्रतिबंध*|दिशानिर्देश*)( [^ ]+){0,1} (को )?(अनदेखा|भूल|नज़रअंदाज़|नजरअंदाज|इग्नोर)',
  },
  {
    id: 'persona.unrestricted-hi',
    kind: 'persona',
    w: 0.4,
    script: 'devanagari',
    re: 'बिना किसी (पाबंदी|प्रतिबंध|रोक|सीमा|नियम|फ़िल्टर|फिल्टर)',
  },
  {
    id: 'extraction.repeat-verbatim-zh',
    kind: 'extraction',
    w: 0.3,
    script: 'cjk',
    re: '(原样|逐字|一字不差|完整地|原封不动)(地)?(翻译|重复|输出|打印|显示|复述|写出|告诉)',
  },
  {
    id: 'extraction.text-before-ru',
    kind: 'extraction',
    w: 0.5,
    script: 'cyrillic',
    re: '(текст*|всё|все|слова|сообщени*|инструкци*)( [^ ]+){0,3} (перед|до|выше) (моим|моего|этим|этого|моей|этой)( [^ ]+)?',
  },
  {
    id: 'persona.answer-everything-ru',
    kind: 'persona',
    w: 0.3,
    script: 'cyrillic',
    re: '(отвечай*|ответь|ответьте) на (всё|все|любые|любой|любую)',
  },
];
