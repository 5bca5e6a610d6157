import type { ViewSignal } from '../signals';

/**
 * The core phrases in French, German, Spanish, Italian, Portuguese, Dutch, Polish and Turkish:
 * override, void rules, system-prompt extraction, no-rules personas. Written with their
 * accents; the view strips them as it strips the text's. As in English, the object is what
 * separates "ignore previous instructions" from "ignore my previous message".
 */
export const INTL_LATIN: readonly ViewSignal[] = [
  // French
  {
    id: 'override.ignore-instructions-fr',
    kind: 'override',
    w: 0.6,
    re: '(ignore*|oublie*|ne tiens plus compte|ne tenez plus compte|ne tiens pas compte|ne tenez pas compte|fais abstraction|faites abstraction|passe outre|passez outre|laisse tomber|laissez tomber|néglige*|annule*)( de| des| d)?( toutes| tous| tout)?( les| tes| vos| ces| la| ta| votre| l| des| de)? (instructions|consignes|règles|directives|indications|ordres|commandes|prompt*|contraintes|limites|restrictions)',
  },
  {
    id: 'override.rules-void-fr',
    kind: 'override',
    w: 0.5,
    re: '(les |tes |vos )?(instructions|consignes|règles|directives|indications) (précédentes|initiales|d origine|antérieures|du début )?(ne (valent|s appliquent|comptent) plus|sont (annulées|obsolètes|caduques|nulles|invalides|périmées|supprimées|levées))',
  },
  {
    id: 'extraction.system-prompt-fr',
    kind: 'extraction',
    w: 0.6,
    re: '(montre*|affiche*|révèle*|répète*|donne*|dis|dites|écris|écrivez|imprime*|recopie*|copie*|traduis|traduisez|cite*|reproduis|partage*|indique*)( moi| nous)?( exactement| mot pour mot| textuellement| intégralement)?( ce que contient| le contenu de)?( ton| ta| tes| votre| vos| le| la| les)? (prompt système|prompt system|message système|instructions (système|initiales|d origine|originales|cachées|secrètes|complètes)|consignes (initiales|d origine|système)|invite système|règles (initiales|cachées|secrètes))',
  },
  {
    id: 'persona.no-rules-fr',
    kind: 'persona',
    w: 0.5,
    re: '((tu es|vous êtes) (maintenant |désormais |à présent )?(en mode|dans le mode) (développeur|dan|sans (limites|restrictions|filtres?)|débridé|jailbreak|libre|non censuré)|(tu n as|vous n avez|tu as|vous avez|tu es|vous êtes|une ia|un assistant|une intelligence artificielle)( [^ ]+){0,3} (aucune|plus de|pas de|sans)( [^ ]+)? (restrictions?|limites?|filtres?|règles?|censure|contraintes?|limitations?))',
  },
  {
    id: 'override.real-task-fr',
    kind: 'override',
    w: 0.35,
    re: '(ta|votre) (vraie|véritable|nouvelle|seule|unique|réelle) (mission|tâche|fonction|objectif|rôle)',
  },
  // German
  {
    id: 'override.ignore-instructions-de',
    kind: 'override',
    w: 0.6,
    re: '(ignorier*|vergiss|vergesst|vergessen sie|missachte*|überspring*|verwirf|verwerfen sie|beachte nicht|beachten sie nicht)( (alle|sämtliche|jegliche|die|deine|ihre|eure|jede|den|das))*( (bisherigen|vorherigen|vorigen|früheren|obigen|ursprünglichen|anfänglichen|vorangegangenen|vorstehenden|bisherige|vorherige|obige|ursprüngliche|alten|system))? (anweisung*|instruktion*|befehl*|regeln|regel|vorgaben|richtlinien|vorschriften|prompt*|systemprompt*|einschränkung*|beschränkung*|anordnung*)',
  },
  {
    id: 'override.rules-void-de',
    kind: 'override',
    w: 0.5,
    re: '((die |deine |alle )?(bisherigen|vorherigen|ursprünglichen|alten|früheren) (anweisung*|regeln|richtlinien|vorgaben) (gelten|gilt|sind) (nicht mehr|ab sofort nicht mehr|ungültig|aufgehoben|hinfällig|obsolet|veraltet)|(gelten|gilt) (keine|nicht mehr|ab sofort keine)( [^ ]+)? (inhaltsrichtlinien|richtlinien|regeln|einschränkungen|vorgaben)( mehr)?)',
  },
  {
    id: 'extraction.system-prompt-de',
    kind: 'extraction',
    w: 0.55,
    re: '(gib|zeig*|nenn*|verrat*|wiederhol*|schreib*|druck*|kopier*|übersetz*|offenbar*|enthüll*)( mir| uns)?( bitte)?( (deinen|deine|dein|ihren|ihre|den|die|das))?( (vollständigen|vollständige|kompletten|komplette|gesamten|ganzen|ursprünglichen|geheimen|versteckten|internen|genauen|exakten|wörtlichen))? (system prompt|systemprompt|system nachricht|systemnachricht|systemanweisung*|anfangsanweisung*|ursprünglichen anweisung*|anweisungen|instruktionen)',
  },
  {
    id: 'persona.developer-mode-de',
    kind: 'persona',
    w: 0.55,
    re: '((du bist|sie sind|ihr seid) (jetzt |nun |ab sofort |ab jetzt )?(im|in den|in einem) (entwicklermodus|developer mode|entwickler modus|dan modus|jailbreak modus|gott modus|uneingeschränkten modus|modus ohne (filter|einschränkungen|regeln))|(entwicklermodus|dan modus|jailbreak modus) (aktiv|aktiviert|an|eingeschaltet)|(keine|ohne) (inhaltsrichtlinien|einschränkungen|beschränkungen|zensur)( mehr)?)',
  },
  {
    id: 'override.real-task-de',
    kind: 'override',
    w: 0.35,
    re: '(deine|ihre) (echte|eigentliche|neue|einzige|wahre|wirkliche) (aufgabe|mission|rolle|funktion)',
  },
  // Spanish
  {
    id: 'override.ignore-instructions-es',
    kind: 'override',
    w: 0.6,
    re: '(ignora*|ignore|ignoren|olvida*|olvide|olviden|omite|omita|descarta*|desestima*|haz caso omiso (de|a)|no hagas caso (de|a)|deja de seguir|no sigas)( (todas|todos|todo))?( (las|los|tus|sus|la|el|tu|su|de|del|esas|estas))* (instrucciones|indicaciones|reglas|directrices|normas|órdenes|consignas|pautas|prompt*|restricciones|limitaciones)',
  },
  {
    id: 'extraction.system-prompt-es',
    kind: 'extraction',
    w: 0.55,
    re: '(muestra*|muéstrame|enseña*|revela*|repite*|dame|dime|di|escribe*|imprime*|copia*|traduce*|comparte*|responde solo con|responde con|indica*)( me)?( el| la| los| las| tu| tus| su| sus)?( contenido de| texto de)?( (tu|tus|el|la|su))? (prompt (del sistema|de sistema|inicial|original)|mensaje (del|de) sistema|instrucciones (del sistema|iniciales|originales|ocultas|secretas|de sistema)|indicaciones (iniciales|del sistema)|system prompt)',
  },
  {
    id: 'persona.no-rules-es',
    kind: 'persona',
    w: 0.5,
    re: '((eres|estás|serás) (ahora |desde ahora |a partir de ahora )?(en )?(modo desarrollador|modo dan|modo sin (restricciones|filtros|límites)|una ia sin (restricciones|filtros|límites|reglas)|dan)|(no tienes|sin) (ninguna |ningún )?(restricción|restricciones|límites|filtros|reglas|censura))',
  },
  {
    id: 'persona.grandma',
    kind: 'persona',
    w: 0.2,
    re: '((difunta|difunto|fallecida|fallecido) (abuela|abuelo)|(abuela|abuelo) (me )?(contaba|decía|leía|cantaba|explicaba))',
  },
  {
    id: 'override.real-task-es',
    kind: 'override',
    w: 0.35,
    re: '(tu|su) (verdadera|nueva|única|real) (tarea|misión|función|objetivo|trabajo)',
  },
  // Italian
  {
    id: 'override.ignore-instructions-it',
    kind: 'override',
    w: 0.6,
    re: '(ignora*|ignori|dimentica*|dimentichi|trascura*|tralascia*|non (seguire|considerare|tenere conto))( (tutte|tutti|tutto))?( (le|i|gli|la|il|tue|tuoi|sue|suoi|della|delle|di))* (istruzioni|indicazioni|regole|direttive|norme|ordini|consegne|prompt*|restrizioni|limitazioni)',
  },
  {
    id: 'override.rules-void-it',
    kind: 'override',
    w: 0.5,
    re: '(le )?(istruzioni|indicazioni|regole|direttive) (iniziali |precedenti |originali |di prima )?(non (valgono|sono|si applicano) più|sono (annullate|superate|obsolete|nulle|scadute|revocate))',
  },
  {
    id: 'extraction.system-prompt-it',
    kind: 'extraction',
    w: 0.55,
    re: '(dimmi|mostrami|mostra|rivela*|ripeti*|scrivi*|stampa*|copia*|traduci*|dammi|condividi|elenca*)( qual è| quale è| quali sono)?( (il|la|i|le|tuo|tua|tuoi|tue))* (prompt (di sistema|del sistema|iniziale|originale)|messaggio (di|del) sistema|istruzioni (di sistema|del sistema|iniziali|originali|nascoste|segrete)|system prompt)',
  },
  {
    id: 'override.real-task-it',
    kind: 'override',
    w: 0.35,
    re: '(il )?(tuo|vostro) (vero|nuovo|unico|reale) (compito|obiettivo|lavoro|ruolo|scopo)',
  },
  {
    id: 'indirect.send-data-it',
    kind: 'indirect',
    w: 0.25,
    re: '(invia*|inoltra*|manda*|trasmetti*|condividi)( [^ ]+){0,3} (cronologia|conversazione|chat|dati|password|credenziali|email|messaggi|contatti)',
    after: { re: /[^\n]{0,120}?(?:[\w.+-]+@[\w-]+\.[\w.-]+|https?:\/\/)/y, w: 0.2 },
  },
  // Portuguese
  {
    id: 'override.ignore-instructions-pt',
    kind: 'override',
    w: 0.6,
    re: '(ignore|ignora|ignorem|esqueça|esquece|esqueçam|desconsidere|desconsidera|descarte|descarta|não (siga|sigas|considere|obedeça))( (todas|todos|tudo))?( (as|os|suas|seus|tuas|teus|das|dos|de|a|o))* (instruções|indicações|regras|diretrizes|normas|ordens|orientações|prompt*|restrições|limitações)',
  },
  {
    id: 'extraction.system-prompt-pt',
    kind: 'extraction',
    w: 0.55,
    re: '(mostre|mostra|revele|revela|repita|repete|diga|diz|escreva|escreve|imprima|copie|traduza|me dê|me mostre|me diga)( me)?( (o|a|os|as|seu|sua|seus|suas|teu|tua))* (prompt (do sistema|de sistema|inicial|original)|mensagem (do|de) sistema|instruções (do sistema|iniciais|originais|ocultas|secretas))',
  },
  {
    id: 'persona.no-rules-pt',
    kind: 'persona',
    w: 0.45,
    re: '((uma ia|um assistente|você|tu)( [^ ]+){0,3} (pode fazer qualquer coisa|nunca recusa*|sem (restrições|limites|filtros|regras))|(a partir de agora|agora) (você|tu) (é|és|será|está)( o| a| um| uma)? (dan|uma ia sem|um ai sem|em modo (desenvolvedor|dan|sem restrições)))',
  },
  {
    id: 'override.real-task-pt',
    kind: 'override',
    w: 0.35,
    re: '(sua|tua) (verdadeira|nova|única|real) (tarefa|missão|função|objetivo)',
  },
  // Dutch
  {
    id: 'override.ignore-instructions-nl',
    kind: 'override',
    w: 0.6,
    re: '(negeer|vergeet|negeren|vergeten|sla over|laat varen|volg niet( langer| meer)?)( (alle|al|de|je|jouw|uw))*( (voorgaande|vorige|eerdere|bovenstaande|oorspronkelijke|originele|initiële|systeem))? (instructies|aanwijzingen|regels|richtlijnen|opdrachten|prompt*|beperkingen|voorschriften)',
  },
  {
    id: 'override.rules-void-nl',
    kind: 'override',
    w: 0.5,
    re: '(de |je |alle )?(oorspronkelijke|originele|vorige|eerdere|voorgaande|oude|initiële) (instructies|richtlijnen|regels|aanwijzingen) (zijn|gelden) (vervallen|niet meer geldig|ongeldig|niet meer van toepassing|opgeheven|ingetrokken|verlopen|niet langer|niet meer)',
  },
  {
    id: 'extraction.system-prompt-nl',
    kind: 'extraction',
    w: 0.55,
    re: '(laat|toon|geef|herhaal|print|schrijf|kopieer|vertaal|onthul|deel)( me| mij| ons)?( je| jouw| uw| de| het)?( volledige| complete| hele| oorspronkelijke| originele| geheime| verborgen)? (systeemprompt|systeem prompt|system prompt|systeembericht|systeeminstructies)',
  },
  {
    id: 'extraction.context-data-nl',
    kind: 'extraction',
    w: 0.4,
    re: '(alle|de) (klantgegevens|gegevens|wachtwoorden|data)( [^ ]+){0,3} (uit|in) (je|jouw|de) (context|geheugen|prompt|instructies|systeemprompt)',
  },
  {
    id: 'override.real-task-nl',
    kind: 'override',
    w: 0.35,
    re: '(je|jouw|uw) (echte|nieuwe|enige|werkelijke|ware) (taak|opdracht|missie|rol|doel)',
  },
  // Polish
  {
    id: 'override.ignore-instructions-pl',
    kind: 'override',
    w: 0.55,
    re: '(zignoruj|ignoruj|zapomnij|pomiń|nie stosuj się do|nie przestrzegaj|porzuć)( o)?( (wszystkie|wszystkich|wszystko|swoje|twoje|te|tych))*( (poprzednie|wcześniejsze|dotychczasowe|powyższe|oryginalne|początkowe|systemowe|poprzednich|wcześniejszych))? (instrukcje|instrukcji|polecenia|poleceń|zasady|zasadach|reguł*|wytyczne|wytycznych|ograniczenia|prompt*)',
  },
  {
    id: 'persona.no-rules-pl',
    kind: 'persona',
    w: 0.5,
    re: '((jesteś|będziesz)( teraz| od teraz)?( [^ ]+){0,2} (bez|nie masz) (żadnych |jakichkolwiek )?(ograniczeń|zasad|filtrów|reguł|cenzury)|bez (żadnych|jakichkolwiek) (ograniczeń|zasad|filtrów|reguł|cenzury))',
  },
  {
    id: 'extraction.system-prompt-pl',
    kind: 'extraction',
    w: 0.5,
    re: '(pokaż|wypisz|powtórz|podaj|ujawnij|zdradź|wyświetl|przetłumacz|napisz)( mi)?( (swój|swoje|twój|twoje|cały|całe|pełny|pełne))* (prompt systemowy|systemowy prompt|instrukcje systemowe|wiadomość systemową|początkowe instrukcje)',
  },
  // Turkish
  {
    id: 'override.ignore-instructions-tr',
    kind: 'override',
    w: 0.55,
    re: '((önceki|evvelki|yukarıdaki|ilk|orijinal|sistem|bütün|tüm|her|senin) )*(talimat*|komut*|kural*|yönerge*|emir*|kısıtlama*|sınırlama*)( [^ ]+){0,2} (yok say*|görmezden gel*|unut*|dikkate alma*|umursama*|göz ardı et*|es geç*|iptal et*)',
  },
  {
    id: 'extraction.system-prompt-tr',
    kind: 'extraction',
    w: 0.5,
    re: '(sistem istem*|sistem prompt*|sistem mesaj*|ilk talimat*|orijinal talimat*|gizli talimat*|sistem talimat*)( [^ ]+){0,2} (göster*|yaz*|tekrarla*|paylaş*|ver|söyle*|çıkar*|ifşa et*|açıkla*)',
  },
  {
    id: 'persona.developer-mode-tr',
    kind: 'persona',
    w: 0.45,
    re: '(geliştirici|dan|jailbreak|sınırsız|filtresiz|kısıtlamasız) mod*( [^ ]+){0,2} (geç*|etkin*|aktif*|aç*|gir*)',
  },
  {
    id: 'persona.no-rules-tr',
    kind: 'persona',
    w: 0.45,
    re: '((içerik )?(politika*|kural*|kısıtlama*|filtre*)( [^ ]+)? (geçerli değil|devre dışı|kaldırıldı|uygulanmaz)|(kısıtlama*|sınır*|kural*|filtre*|sansür*)( [^ ]+)? (olmadan|yok|olmaksızın))',
  },
  // Any language: DAN by name after "as" / "you are".
  {
    id: 'persona.dan-intl',
    kind: 'persona',
    w: 0.45,
    re: '(como|comme|als|come|jako|ты|что ты|tu es|eres|sei|du bist|jij bent|je bent|sen|você é|voce e) (o |a |le |el |il |de |der )?dan',
  },
  // Framing, in the languages above (what the harm combos pair with).
  {
    id: 'persona.framing',
    kind: 'persona',
    w: 0.05,
    re: '(actúa como|actua como|finge|imagina que eres|haz de|fais semblant|agis comme|joue le rôle|spiel*|tu so als ob|fingi*|agisci come|interpreta|doe alsof|speel|udawaj|wciel się|davran|rol yap|como se fosse|aja como|finja)',
  },
  // Hindi written in Latin letters (Hinglish).
  {
    id: 'override.ignore-instructions-hinglish',
    kind: 'override',
    w: 0.55,
    re: '(saare|sabhi|sare|pichhle|pichle|purane|pehle ke|ab tak ke)( [^ ]+){0,2} (instructions|niyam|rules|nirdesh|hidayat*)( [^ ]+)? (bhool*|bhul*|ignore|nazarandaaz|bhula*)',
  },
  {
    id: 'persona.no-rules-hinglish',
    kind: 'persona',
    w: 0.45,
    re: '((koi|kisi bhi tarah ka|koi bhi) (rule|rules|niyam|restriction|pabandi|filter|seema)( [^ ]+)? (nahi|nahin)|mana (mat|nahi|bilkul mat) (karna|karo))',
  },
  // Portuguese and Spanish: authority, and asking for no confirmation.
  {
    id: 'override.authority-intl',
    kind: 'override',
    w: 0.35,
    re: '((como|sou o|sou a|eu sou|soy el|soy la|como el|en tant que|je suis l|als|ich bin (der|die|ihr|dein)) (administrador|admin|desenvolvedor|desarrollador|dono|operador|administrateur|développeur|administrator|entwickler)|eu (autorizo|aprovo)|yo (autorizo|apruebo)|j autorise|ich autorisiere)',
  },
  {
    id: 'override.skip-checks-intl',
    kind: 'override',
    w: 0.35,
    re: '(não (peça|pedir|peças) (confirmação|permissão|autorização)|sem (pedir )?(confirmação|aprovação)|no (pidas|pida|pedir) (confirmación|permiso)|sin (pedir )?(confirmación|aprobación)|sans (demander )?(confirmation|validation)|ohne (rückfrage|bestätigung))',
  },
  {
    id: 'indirect.bulk-destructive-intl',
    kind: 'indirect',
    w: 0.25,
    re: '(apagar|apague|deletar|excluir|remover|apaga|borrar|borra|elimina*|supprime*|efface*|lösch*)( [^ ]+){0,3} (inteira|inteiro|todos|todas|tudo|entera|entero|todo|entier|entière|tout|tous|gesamten|alle)',
  },
  // The text before the user's message, and the instructions received, asked for.
  {
    id: 'extraction.text-before-de',
    kind: 'extraction',
    w: 0.5,
    re: '(text|inhalt|alles|worte|anweisungen)( [^ ]+){0,3} (vor|uber|oberhalb) (meiner|dieser|der|meinem|diesem) (nachricht|frage|eingabe|zeile|text)',
  },
  {
    id: 'extraction.instructions-received-pt',
    kind: 'extraction',
    w: 0.5,
    re: '(instrucoes|instrucao|regras|diretrizes|prompt) (que )?(recebeste|recebeu|voce recebeu|te deram|lhe deram|te foram dadas|foram dadas)',
  },
  {
    id: 'persona.no-rules-tr2',
    kind: 'persona',
    w: 0.45,
    re: '(hicbir|hic bir) (kural*|kisitlama*|sinir*|filtre*)( [^ ]+)? (yok|olmadan|yoktur)',
  },
];
