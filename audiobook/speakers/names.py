"""Word tables the roster and the attribution sieve share.

Compact, hand-written, English-prose tables: no download, no corpus. They are
deliberately general (any novel), never tuned to one book.
"""

from __future__ import annotations

from audiobook.model import Gender

# Honorific -> gender it implies (None: says nothing about gender).
HONORIFICS: dict[str, Gender | None] = {
    "mr": "male",
    "mrs": "female",
    "miss": "female",
    "ms": "female",
    "mx": None,
    "dr": None,
    "doctor": None,
    "lady": "female",
    "sir": "male",
    "lord": "male",
    "dame": "female",
    "madam": "female",
    "madame": "female",
    "mme": "female",
    "mademoiselle": "female",
    "mlle": "female",
    "monsieur": "male",
    "m": "male",
    "señor": "male",
    "senor": "male",
    "señora": "female",
    "senora": "female",
    "señorita": "female",
    "don": "male",
    "doña": "female",
    "herr": "male",
    "frau": "female",
    "captain": None,
    "capt": None,
    "colonel": None,
    "col": None,
    "major": None,
    "general": None,
    "lieutenant": None,
    "lt": None,
    "sergeant": None,
    "sgt": None,
    "inspector": None,
    "constable": None,
    "professor": None,
    "prof": None,
    "judge": None,
    "reverend": None,
    "rev": None,
    "bishop": "male",
    "abbé": "male",
    "father": "male",
    "mother": "female",
    "uncle": "male",
    "aunt": "female",
    "auntie": "female",
    "brother": "male",
    "sister": "female",
    "grandfather": "male",
    "grandmother": "female",
    "granny": "female",
    "grandpa": "male",
    "grandma": "female",
    "king": "male",
    "queen": "female",
    "prince": "male",
    "princess": "female",
    "count": "male",
    "countess": "female",
    "baron": "male",
    "baroness": "female",
    "duke": "male",
    "duchess": "female",
    "master": "male",
    "mistress": "female",
    "saint": None,
    "st": None,
}
# Relational and descriptive nouns -> gender ("Mila's sister, Sofia"; "the old man").
NOUN_GENDER: dict[str, Gender | None] = {
    "man": "male",
    "gentleman": "male",
    "boy": "male",
    "lad": "male",
    "fellow": "male",
    "father": "male",
    "son": "male",
    "brother": "male",
    "husband": "male",
    "uncle": "male",
    "nephew": "male",
    "grandfather": "male",
    "grandson": "male",
    "king": "male",
    "prince": "male",
    "priest": "male",
    "monk": "male",
    "sir": "male",
    "landlord": "male",
    "waiter": "male",
    "coachman": "male",
    "footman": "male",
    "butler": "male",
    "boyfriend": "male",
    "dad": "male",
    "daddy": "male",
    "papa": "male",
    "woman": "female",
    "lady": "female",
    "girl": "female",
    "mother": "female",
    "daughter": "female",
    "sister": "female",
    "wife": "female",
    "aunt": "female",
    "niece": "female",
    "grandmother": "female",
    "granddaughter": "female",
    "queen": "female",
    "princess": "female",
    "nun": "female",
    "landlady": "female",
    "maid": "female",
    "waitress": "female",
    "housekeeper": "female",
    "nurse": "female",  # in the books this reads; the pronouns still outvote it
    "widow": "female",
    "girlfriend": "female",
    "mum": "female",
    "mom": "female",
    "mamma": "female",
    "mama": "female",
    "jewess": "female",
    "hostess": "female",
    "actress": "female",
    "governess": "female",
    "friend": None,
    "manager": None,
    "agent": None,
    "cousin": None,
    "child": None,
    "stranger": None,
    "doctor": None,
    "officer": None,
    "soldier": "male",
    "servant": None,
    "driver": None,
    "guard": None,
    "clerk": None,
    "merchant": None,
    "shopkeeper": None,
    "innkeeper": None,
    "host": "male",
    "teacher": None,
    "captain": None,
    "sailor": "male",
    "shepherd": None,
    "peasant": None,
    "traveller": None,
    "traveler": None,
    "visitor": None,
    "guest": None,
    "old": None,
    "young": None,
    "neighbour": None,
    "neighbor": None,
    "partner": None,
    "coach": None,
    "assistant": None,
    "secretary": None,
    "lawyer": None,
    "boss": None,
    "colleague": None,
    "policeman": "male",
    "detective": None,
    "inspector": None,
    "student": None,
    "professor": None,
    "customer": None,
    "beadle": "male",
    "bride": "female",
    "groom": "male",
    "fiancée": "female",
    "fiance": "male",
    # Titles and ranks that name a man or a woman in the books this reads (the book's
    # own pronouns still outvote them for a described speaker).
    "count": "male",
    "countess": "female",
    "abbé": "male",
    "abbe": "male",
    "abbess": "female",
    "sergeant": "male",
    "corporal": "male",
    "general": "male",
    "colonel": "male",
    "major": "male",
    "lieutenant": "male",
    "baron": "male",
    "baroness": "female",
    "duke": "male",
    "duchess": "female",
    "marquis": "male",
    "marquise": "female",
    "marchioness": "female",
    "earl": "male",
    "emperor": "male",
    "empress": "female",
    "lord": "male",
    "squire": "male",
    "parson": "male",
    "vicar": "male",
    "curate": "male",
    "rector": "male",
    "clergyman": "male",
    "bishop": "male",
    "friar": "male",
    "magistrate": None,
    "undertaker": None,
    "waggoner": None,
    "wagoner": None,
    "porter": None,
    "jailer": None,
    "gaoler": None,
}

# Words that start a noun phrase describing a person ("the old man", "his sister").
DETERMINERS = {"the", "a", "an", "his", "her", "their", "my", "our", "your", "this", "that"}


def words(text: str) -> set[str]:
    """A word table written as running text, one entry per whitespace-separated word."""
    return set(text.split())


# Common given names by gender (English and European, nineteenth and twentieth century):
# a hint that the book's own pronouns outvote.
FEMALE_NAMES = words(
    """
abigail ada adele agnes alice alicia amanda amelia amy ana anastasia andrea angela anita ann
anna anne annie barbara beatrice becky bella beth betsy betty camila carla carmen caroline
catherine cecilia charlotte chloe clara claire cora daisy dana diana dora dorothy edith
eleanor elena eliza elizabeth ella ellen elsa emily emma esther eva eve evelyn fanny
florence frances gabriela georgiana grace hannah harriet helen helena irene isabel isabella
jane janet jenny jessica joan josephine judith julia julie karen kamila kate katherine
kathleen katka kitty laura lena lily linda lisa liz lizzy lucia lucy lydia mabel madeline
maggie margaret maria marianne marie marina martha mary matilda maud maya mia mila molly
nancy natasha nora olga olivia paula pauline peggy polly rachel rebecca rosa rose ruth sally
sara sarah sofia sonia sophia sophie susan tanya teresa valentina victoria violet vera wendy
adelaide adeline agatha alberta alexandra alma amalia antoinette arabella augusta aurora
beatrix belle bernice bertha beryl blanche bonnie bridget carol carolyn carrie cassandra
catalina cecily celia christina christine cynthia daphne deborah delia della dinah dolly
dolores doris dorothea edna effie eileen elaine elinor elise eloise elsie emilia emmeline
estelle ethel eugenia eugenie eunice euphemia felicity flora frieda georgia georgina gertrude
gladys gloria gwendolen gwendolyn hattie henrietta hester hetty hilda honora ida imogen inez
ingrid isabelle jeanne jeannette jemima jessie joanna johanna josie juliet katharine katie
katrina lavinia leah leila lenore leonora letitia lillian lilian lizzie lois lorna lottie
louisa louise lucile lucille lucinda lucretia madge mae magdalen magdalena marcia margery
margot marguerite marian marion marjorie marta mathilde mavis meg melanie mercedes mercédès
mildred millie minnie miriam myra myrtle nell nellie nelly nettie nina norah olive ophelia
penelope phoebe phyllis priscilla rhoda rosalind rosamond rosie rowena sadie selina sibyl
sylvia stella sue susanna susannah tabitha tess theodora theresa therese ursula vanessa
viola virginia vivian winifred winnie zoe bessie biddy emmy sophy clarissa
"""
)
MALE_NAMES = words(
    """
aaron adam alan albert alejandro alex alexander alfred andrew andrés antonio arthur benjamin
bernard bill bob carl carlos charles charley charlie christopher daniel david diego dmitri
edgar edmund edward emil eric ernest felix francis frank fred frederick gabriel george
gerald gregory harry henry herbert hugh ivan jack jacob james javier jim joe john jonathan
jorge jose josé joseph juan julian karl kevin lawrence leo louis luis marco mark martin
matthew michael mikhail nicholas nikolai oliver oscar patrick paul pedro peter philip pip
ralph richard robert roger samuel sebastian sergei simon stephen steven thomas tim timothy
tom tony victor vladimir walter william
abraham algernon allan allen alonzo alvin ambrose amos andy angus anthony archibald archie
arnold augustus austin barnaby bartholomew basil ben benedict benny bertie bertram bertrand
boris bruce bryan byron caleb calvin cecil cedric chester claude clarence clement clifford
clyde conrad cornelius cuthbert cyril cyrus dan danny dennis denis derek dick dominic
donald douglas duncan dudley ebenezer eddie edmond edwin eli elijah elias elmer emmanuel
enoch ephraim erasmus ernst eugene eustace everett ezekiel ezra ferdinand fergus floyd
francisco franz fritz gareth gaston geoffrey gerard gideon gilbert giles giovanni godfrey
gordon gus gustav gustave hal hans harold harvey hector heinrich herman hiram homer horace
horatio howard hubert humphrey ignatius isaac isaiah ishmael jacques jake jasper jean jed
jeremiah jeremy jerome jesse jethro jimmy joel johnny jonah josiah jules julius laurence
lemuel leonard leopold lester lewis lionel lorenzo lucas lucien luke malcolm manuel marcus
marius matthias maurice max maximilian micah milton mortimer moses ned neville nick nigel
noah norman obadiah octavius orlando oswald otto owen percival percy pete phil pierre
quentin randolph raoul raymond reginald reuben rodolphe rufus rupert sam sammy saul seth
sidney silas solomon stanley sydney teddy theodore tobias toby tommy ulysses vernon vincent
wilfred wilfrid willie antoine armand emile etienne fernando françois francois giuseppe
luigi marcel mario miguel pablo paolo rafael ramon stefan aleksei alexei andrei anton
fyodor grigory ilya pavel pyotr semyon stepan vanya yakov
"""
)

# English pet names and the given names they stand for ("Carrie" is Caroline): general
# usage, not any one book's.
_PET_NAMES = {
    "caroline": "carrie carry caro",
    "john": "jack johnny jock",
    "elizabeth": "eliza lizzy lizzie liz libby betsy betsey betty bess bessie beth",
    "thomas": "tom tommy",
    "robert": "bob bobby rob robin bert",
    "william": "bill billy will willie willy",
    "richard": "dick dickie dicky rick",
    "henry": "harry hal hank",
    "edward": "ned neddy ted teddy eddie",
    "james": "jim jimmy jem jamie",
    "joseph": "joe joey",
    "samuel": "sam sammy",
    "benjamin": "ben benny",
    "charles": "charley charlie chas",
    "frederick": "fred freddy freddie",
    "catherine": "kate kitty katie cathy kit",
    "katherine": "kate kitty katie kathy",
    "margaret": "meg meggie maggie peggy madge margery",
    "mary": "polly molly mamie mimi",
    "sarah": "sally sadie",
    "anne": "nancy nan annie",
    "ann": "nancy nan annie",
    "ellen": "nell nelly nellie",
    "eleanor": "nell nelly nellie elinor",
    "helen": "nell nelly nellie",
    "frances": "fanny fan",
    "jane": "jenny jennie janet",
    "susan": "sue susie sukey",
    "dorothy": "dolly dot dora",
    "martha": "patty matty",
    "anthony": "tony",
    "nicholas": "nick nicky",
    "andrew": "andy",
    "michael": "mike mick",
    "peter": "pete",
    "philip": "phil pip",
    "stephen": "steve",
    "lawrence": "larry",
    "alexander": "alec alick sandy",
    "archibald": "archie",
    "augustus": "gus",
    "christopher": "kit",
    "nathaniel": "nat",
    "tobias": "toby",
    "david": "davy dave",
    "sophia": "sophy",
    "josephine": "jo josie",
    "theodore": "teddy theo",
    "matilda": "tilly",
    "harriet": "hattie hatty",
    "rebecca": "becky",
    "isabella": "bella",
    "arabella": "bella",
}
_PET_OF = {pet: formal for formal, pets in _PET_NAMES.items() for pet in pets.split()}


def same_given_name(a: str, b: str) -> bool:
    """Whether one name is the other's pet name ("Carrie", "Caroline"); two pet names of
    one name ("Eliza", "Bessie") may be two people."""
    a, b = a.lower(), b.lower()
    return _PET_OF.get(a) == b or _PET_OF.get(b) == a


# Capitalised words that are never a person's name on their own.
NOT_NAMES = words(
    """
i i'm i've i'd i'll a an the and but or nor for so yet if then than that this these those
there here where when while why how what which who whom whose he she it we they you me him
her us them his hers its our ours their theirs your yours my mine myself yourself himself
herself itself ourselves themselves yes no not oh ah aha alas well why now still even only
just all any both each every some such no none one two three four five six seven eight nine
ten first second third last next chapter book part volume section act scene prologue
epilogue contents preface introduction note monday tuesday wednesday thursday friday
saturday sunday january february march april may june july august september october november
december christmas easter god lord heaven hell sir madam ma'am mr mrs miss ms dr st mister
missus english french german russian latin greek italian spanish american european british
jewish christian catholic protestant london paris europe england france russia america
hallelujah amen hello hullo good goodbye good-bye thank thanks please sorry dear poor old
little young great mother father uncle aunt brother sister after before as at by from in
into of on to with without upon about above across against along among around behind below
beneath beside between beyond during except inside near off outside over past since through
throughout till toward towards under until unto up within perhaps maybe indeed though
although because besides however meanwhile moreover nevertheless otherwise instead again
also ever never always often sometimes soon later already suddenly presently once twice let
come go look see say tell do don't did does can could will would shall should must might
ought have has had is are was were be been being am it's that's there's what's nothing
something everything anything nobody somebody everybody anybody someone everyone anyone the
mrs. mr. dr. ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx tsar
emperor majesty highness excellency honour honor ladyship lordship hereupon thereupon
whereupon therefore accordingly nay aye hush hark lo
"""
)

FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}
MALE_PRONOUNS = {"he", "him", "his", "himself"}
SUBJECT_PRONOUNS = {"he": "male", "she": "female"}
FIRST_PERSON = {"i", "me", "my", "mine", "myself"}


def honorific_key(word: str) -> str:
    """'Mr.' -> 'mr': the lookup key of a possible honorific."""
    return word.rstrip(".").lower()


def name_gender(first: str) -> Gender | None:
    key = first.lower()
    if key in FEMALE_NAMES:
        return "female"
    if key in MALE_NAMES:
        return "male"
    return None
