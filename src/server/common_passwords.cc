// The built-in common-password list. Written for writ from widely published "most common
// passwords" knowledge (keyboard walks, digit runs, "password" variants, names, teams,
// bands, films); only entries of 8 bytes or more, since shorter ones fail the length rule.
#include "server/common_passwords.h"

#include <algorithm>
#include <array>

namespace writ::server {
namespace {

// Keep sorted and unique: the static_asserts below refuse to compile otherwise.
constexpr auto kCommonPasswords = std::to_array<std::string_view>({
    "!qaz2wsx", "!qaz@wsx", "00000000", "000000000", "0000000000", "00000001", "00000007",
    "0000000a", "0123456789", "09876543", "0987654321", "0987poiu", "10101010", "11111111",
    "111111111", "1111111111", "11111112", "11112222", "11221122", "11223344", "112233445566",
    "11235813", "12121212", "12301230", "12312312", "123123123", "1231231234", "123321123",
    "12341234", "12344321", "1234512345", "123454321", "1234554321", "12345600", "12345611",
    "123456123", "12345654", "123456654321", "12345678", "123456789", "1234567890", "1234567890q",
    "1234567891", "12345678910", "123456789123", "123456789a", "123456789q", "12345678a",
    "12345679", "1234567q", "123456aa", "123456ab", "123456abc", "123456qq", "123456qwe",
    "123456qwerty", "12345qwert", "1234abcd", "1234qwer", "123654789", "123698745", "123abc123",
    "123password", "123qweasd", "123qweasdzxc", "123qwerty", "12qw12qw", "12qwaszx", "13131313",
    "13579246", "135792468", "14141414", "147147147", "147258369", "1472583690", "147852369",
    "159357456", "159753456", "159951159", "1a2b3c4d", "1password", "1q1q1q1q", "1q2w3e4r",
    "1q2w3e4r5t", "1q2w3e4r5t6y", "1q2w3e4r5t6y7u8i", "1qaz!qaz", "1qaz2wsx", "1qaz2wsx3edc",
    "1qaz2wsx3edc4rfv", "1qaz@wsx", "1qazxsw2", "1z2x3c4v", "20202020", "21212121", "22222222",
    "246813579", "24682468", "258258258", "31415926", "3141592653", "321321321", "321654987",
    "33333333", "369369369", "44444444", "456456456", "456789123", "5201314a", "55555555",
    "555555555", "66666666", "69696969", "741741741", "741852963", "753951852", "77777777",
    "777777777", "789456123", "7894561230", "789789789", "852456789", "852963741", "87654321",
    "88888888", "951753852", "963258741", "963852741", "98765432", "987654321", "9876543210",
    "99999999", "a1234567", "a12345678", "a123456789", "a1a1a1a1", "a1b2c3d4", "a1b2c3d4e5",
    "aa123456", "aaa12345", "aaaa1111", "aaaaaaaa", "aaaaaaaaa", "abc12345", "abc123456",
    "abc123abc", "abcabcabc", "abcd1234", "abcd12345", "abcde12345", "abcdef12", "abcdef123",
    "abcdefg1", "abcdefg123", "abcdefgh", "abcdefghi", "abcdefghij", "access01", "access123",
    "access14", "accessdenied", "admin123", "admin1234", "admin12345", "admin@123", "adminadmin",
    "administrator", "airforce", "alexander", "alexandra", "amanda123", "america1", "american",
    "anastasia", "andrew123", "angel123", "anonymous", "anthony1", "anything", "apple123",
    "arsenal1", "asd123456", "asdasdasd", "asdf1234", "asdfasdf", "asdfghjk", "asdfghjkl",
    "asdfghjkl123", "asdfqwer", "asdfzxcv", "ashley123", "astronaut", "australia", "autumn2020",
    "azerty12", "azerty123", "azertyuiop", "babygirl", "babygirl1", "backdoor1", "bailey123",
    "banana123", "barcelona", "baseball", "baseball1", "baseball12", "basketball", "batman123",
    "beautiful", "beckham7", "benjamin", "bestfriend", "bigdaddy", "blahblah", "blessed1",
    "blink182", "brittany", "brooklyn", "budlight", "bulldogs", "buster123", "butter12",
    "butterfly", "cadillac", "california", "callofduty", "carolina", "caroline", "catherine",
    "changeit", "changeme", "changeme!", "changeme1", "changeme123", "charlie1", "charlie123",
    "cheese123", "chelsea1", "chemistry", "chevrolet", "chewbacca", "chicago1", "chicken1",
    "chicken123", "chloe123", "chocolate", "christian", "christina", "christine", "christopher",
    "coffee12", "colorado", "computer", "computer1", "computer12", "cookie123", "corvette",
    "counterstrike", "courtney", "cowboys1", "cristiano", "cupcake1", "cutiepie", "daniel123",
    "danielle", "darkness", "darthvader", "default1", "doctor12", "dolphins", "dragon12",
    "dragon123", "dragonfly", "einstein", "elephant", "elizabeth", "emily123", "engineer",
    "everything", "faithful", "family123", "federer1", "ferrari1", "firebird", "firefighter",
    "fishing1", "football", "football1", "football12", "forever1", "forever21", "fortnite",
    "freedom1", "freedom123", "friends1", "garfield", "ginger12", "godisgood", "goodbye1",
    "goodluck", "greenday", "guest123", "guinness", "hacker12", "hackerman", "hannah123",
    "happiness", "happy123", "harleydavidson", "harrypotter", "heather1", "heaven12", "heineken",
    "hello123", "hello1234", "hellokitty", "helloworld", "history1", "hogwarts", "hollywood",
    "hotdog12", "hunting1", "hurricane", "icecream", "ihateyou", "ilovegod", "iloveme1",
    "iloveu123", "iloveyou", "iloveyou!", "iloveyou1", "iloveyou12", "iloveyou123", "iloveyou2",
    "internet", "internet1", "ironmaiden", "isabella", "jackdaniels", "jacqueline", "jennifer",
    "jennifer1", "jessica1", "jessica123", "jesus123", "jesuschrist", "jesuslovesme", "jonathan",
    "jordan123", "jordan1234", "jordan23", "joshua123", "jupiter1", "juventus", "katherine",
    "kawasaki", "kimberly", "kittycat", "kobe2424", "lamborghini", "lebron23", "letmein!",
    "letmein1", "letmein12", "letmein123", "letmein2", "letmeinnow", "liberty1", "lightning",
    "linkinpark", "liverpool", "lkjhgfds", "lkjhgfdsa", "logmein1", "london12", "lordjesus",
    "lovelove", "lovely123", "loveme123", "loveyou1", "loveyou123", "maggie123", "manchester",
    "manutd99", "maradona", "margaret", "marines1", "marlboro", "master12", "master123", "matthew1",
    "melissa1", "mercedes", "mercury1", "messi101", "metallica", "michael1", "michael123",
    "michael23", "michelle", "michigan", "midnight", "minecraft", "minecraft1", "mitsubishi",
    "mnbvcxz1", "monkey12", "monkey123", "moonlight", "motdepasse", "mountain", "mustang1",
    "myfamily", "mypassword", "mypassword1", "nadal123", "natasha1", "nevermind", "newpassword",
    "neymarjr", "nicholas", "nicole123", "nintendo", "nopassword", "nothing1", "olivia123",
    "opensesame", "orange123", "overwatch", "p455w0rd", "p4ssw0rd", "p@$$w0rd", "p@ssw0rd",
    "p@ssw0rd1", "p@ssword", "pa$$word", "pa55w0rd", "pa55word", "panthers", "paris123", "pas5word",
    "pass1234", "pass12345", "pass1word", "pass@123", "passpass", "passw0rd", "passw0rd!",
    "passw0rd1", "passwerd", "password", "password!", "password01", "password1", "password1!",
    "password12", "password123", "password123!", "password1234", "password1234!", "password12345",
    "password2", "password2019", "password2020", "password2021", "password2022", "password2023",
    "password2024", "password@1", "password@123", "passwort", "passwort1", "passwrod", "paswoord",
    "pasword1", "paswword", "patricia", "patriots", "peanut123", "pepper123", "phoenix1",
    "pizza123", "platinum", "playstation", "playstation2", "poiuytre", "poiuytrewq", "pokemon1",
    "pokemon123", "policeman", "porsche911", "precious", "princesa", "princess", "princess1",
    "princess12", "pussycat", "q1q1q1q1", "q1w2e3r4", "q1w2e3r4t5", "q1w2e3r4t5y6", "qazwsx123",
    "qazwsxedc", "qazxswedc", "qqqqqqqq", "qwe12345", "qwe123qwe", "qweasd123", "qweasdzxc",
    "qweqweqwe", "qwer1234", "qwer1234asdf", "qwerasdf", "qwert12345", "qwerty00", "qwerty01",
    "qwerty1!", "qwerty11", "qwerty12", "qwerty123", "qwerty1234", "qwerty12345", "qwerty123456",
    "qwerty789", "qwerty99", "qwertyqwerty", "qwertyu1", "qwertyui", "qwertyuiop", "qwertyuiop123",
    "qwertzuiop", "rachel12", "rainbow1", "rammstein", "realmadrid", "rebecca1", "redskins",
    "richard1", "robert123", "ronaldinho", "ronaldo7", "root1234", "rootroot", "runescape",
    "samantha", "scooter1", "scorpion", "scotland", "secret01", "secret123", "secret1234",
    "secretpassword", "security", "shadow12", "shadow123", "skywalker", "slipknot", "smile123",
    "smirnoff", "snickers", "snoopy123", "softball", "soldier1", "something", "sophie123",
    "spaceman", "spiderman", "spring2021", "starcraft", "starlight", "startrek", "starwars",
    "starwars1", "steelers", "stephanie", "strawberry", "student1", "summer12", "summer2020",
    "summer2021", "summer2022", "summer2023", "sunflower", "sunshine", "sunshine1", "sunshine12",
    "superman", "superman1", "superman12", "superman123", "sweetheart", "sweetie1", "sweetpea",
    "teacher1", "temp1234", "tequila1", "terminator", "test1234", "test12345", "testing1",
    "testing123", "testtest", "thomas123", "tigerwoods", "tigger12", "tigger123", "together",
    "trustno1", "trustnoone", "twilight", "universe", "user1234", "veronica", "veronika",
    "victoria", "virginia", "vodka123", "voldemort", "volkswagen", "volleyball", "warcraft",
    "welcome!", "welcome1", "welcome12", "welcome123", "welcome2", "whatever", "whatever1",
    "whiskey1", "william1", "winter2020", "winter2021", "woaini1314", "woaini520", "xxxxxxxx",
    "yankees1", "zaq12wsx", "zaq1xsw2", "zaq1zaq1", "zaqxswcde", "zidane10", "zxc123456",
    "zxcasdqwe", "zxcv1234", "zxcvbnm1", "zxcvbnm12", "zxcvbnm123", "zzzzzzzz",
});

constexpr bool IsLowerPrintableAscii(std::string_view entry) {
  return std::ranges::all_of(entry, [](char c) { return c > ' ' && c < 0x7f && !(c >= 'A' && c <= 'Z'); });
}

static_assert(std::ranges::is_sorted(kCommonPasswords), "the common-password list must stay sorted");
static_assert(std::ranges::adjacent_find(kCommonPasswords) == kCommonPasswords.end(),
              "the common-password list must not repeat an entry");
static_assert(std::ranges::all_of(kCommonPasswords,
                                  [](std::string_view entry) {
                                    return entry.size() >= kCommonPasswordMinLength && IsLowerPrintableAscii(entry);
                                  }),
              "entries are lower-case printable ASCII of at least kCommonPasswordMinLength bytes");

}  // namespace

std::span<const std::string_view> CommonPasswords() { return kCommonPasswords; }

}  // namespace writ::server
