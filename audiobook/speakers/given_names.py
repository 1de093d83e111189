"""Given names: the gender a first name hints at, and pet names ("Carrie" is Caroline).

General tables of common English and European given names, not any one book's; the
book's own pronouns outvote them (see forms.py).
"""

from __future__ import annotations

from audiobook.model import Gender
from audiobook.speakers.names import words

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


def name_gender(first: str) -> Gender | None:
    key = first.lower()
    if key in FEMALE_NAMES:
        return "female"
    if key in MALE_NAMES:
        return "male"
    formal = _PET_OF.get(key)  # "Larry" as Lawrence, "Sukey" as Susan
    if formal in FEMALE_NAMES:
        return "female"
    return "male" if formal in MALE_NAMES else None
