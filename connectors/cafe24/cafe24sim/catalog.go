package cafe24sim

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// The word lists the generator draws Korean people, addresses and products from.

var surnames = []string{"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권",
	"황", "안", "송", "류", "전", "홍", "고", "문", "양", "손", "배", "백", "허", "유", "남"}

// surnameRoman is surnames romanized, for member ids.
var surnameRoman = []string{"kim", "lee", "park", "choi", "jung", "kang", "cho", "yoon", "jang", "lim", "han",
	"oh", "seo", "shin", "kwon", "hwang", "ahn", "song", "ryu", "jeon", "hong", "ko", "moon", "yang", "son",
	"bae", "baek", "heo", "yu", "nam"}

var givenNames = []string{"민준", "서준", "도윤", "예준", "시우", "하준", "지호", "주원", "지후", "준우",
	"서연", "서윤", "지우", "서현", "하은", "하윤", "민서", "지유", "윤서", "채원", "수아", "지민", "지아",
	"예은", "다은", "은우", "건우", "현우", "선우", "연우", "유준", "정우", "승우", "승현", "시윤", "소율",
	"예린", "수빈", "지원", "민지"}

var emailDomains = []string{"naver.com", "gmail.com", "daum.net", "kakao.com", "hanmail.net"}

type street struct {
	name string // 시/도 시/군/구 도로명
	zip  string // first two digits of the 5-digit zip code
}

var streets = []street{
	{"서울특별시 강남구 테헤란로", "06"}, {"서울특별시 서초구 서초대로", "06"}, {"서울특별시 마포구 월드컵북로", "03"},
	{"서울특별시 송파구 올림픽로", "05"}, {"서울특별시 영등포구 여의대로", "07"}, {"서울특별시 종로구 세종대로", "03"},
	{"경기도 성남시 분당구 판교역로", "13"}, {"경기도 수원시 영통구 광교중앙로", "16"}, {"경기도 고양시 일산동구 중앙로", "10"},
	{"경기도 용인시 수지구 포은대로", "16"}, {"인천광역시 연수구 송도과학로", "21"}, {"부산광역시 해운대구 해운대로", "48"},
	{"대구광역시 수성구 달구벌대로", "42"}, {"대전광역시 유성구 대학로", "34"}, {"광주광역시 서구 상무대로", "61"},
	{"울산광역시 남구 삼산로", "44"}, {"세종특별자치시 한누리대로", "30"}, {"제주특별자치도 제주시 노형로", "63"},
}

// shippingMessages are buyers' notes to the carrier; empty ones are common.
var shippingMessages = []string{"", "", "", "부재 시 문 앞에 놓아주세요", "배송 전에 연락 부탁드립니다",
	"경비실에 맡겨 주세요", "택배함에 넣어 주세요", "파손 위험 상품입니다. 조심히 다뤄 주세요", "공동현관 비밀번호는 #1234 입니다"}

type supplier struct {
	id, name string
	txType   string // supplier_transaction_type: D direct-registered, P commission
	trading  string // trading_type: D 사입 (we buy and ship), C 직배송 (the supplier ships)
	payment  string // payment_type: P commission, D purchase
}

// suppliers[0] is the mall itself (S0000000).
var suppliers = []supplier{
	{"S0000000", "자체공급", "D", "D", "D"},
	{"S0000001", "(주)한빛어패럴", "P", "C", "P"},
	{"S0000002", "데모브랜드", "D", "D", "D"},
	{"S0000003", "누리리빙", "P", "C", "P"},
	{"S0000004", "코스메틱랩", "D", "D", "D"},
	{"S0000005", "바른푸드", "P", "C", "P"},
	{"S0000006", "청담슈즈", "P", "C", "P"},
}

type orderPlace struct{ id, name string }

var orderPlaces = []orderPlace{{"cafe24", "PC쇼핑몰"}, {"mobile", "모바일쇼핑몰"}, {"NCHECKOUT", "네이버페이"}}

type paymentMethod struct {
	code, name string
	instant    bool // paid within minutes; otherwise a bank deposit that may take days or never come
}

var paymentMethods = []paymentMethod{
	{"card", "신용카드", true}, {"cash", "무통장입금", false}, {"tcash", "실시간 계좌이체", true}, {"cell", "휴대폰 결제", true},
}

type carrier struct{ code, name string }

var carriers = []carrier{{"0001", "CJ대한통운"}, {"0004", "롯데택배"}, {"0006", "한진택배"}, {"0006", "한진택배"}, {"0006", "한진택배"}, {"0012", "우체국택배"}}

type claimReason struct{ typ, text string }

// cancelReasons are claim_reason_type codes with a buyer's reason.
var cancelReasons = []claimReason{
	{"A", "단순 변심"}, {"A", "다른 상품으로 다시 주문할게요"}, {"B", "배송이 너무 늦어요"}, {"I", "주문 실수"}, {"H", "품절"},
}

type productKind struct {
	noun    string
	options [][]string // option groups, "이름=값" pairs drawn per variant
	lo, hi  int        // price range in thousands of won
}

var productKinds = []productKind{
	{"반팔 티셔츠", [][]string{{"색상=블랙", "색상=화이트", "색상=네이비"}, {"사이즈=S", "사이즈=M", "사이즈=L", "사이즈=XL"}}, 9, 39},
	{"셔츠", [][]string{{"색상=화이트", "색상=스카이블루"}, {"사이즈=M", "사이즈=L"}}, 29, 79},
	{"데님 팬츠", [][]string{{"색상=연청", "색상=중청", "색상=진청"}, {"사이즈=28", "사이즈=30", "사이즈=32"}}, 39, 99},
	{"후드 집업", [][]string{{"색상=그레이", "색상=블랙"}, {"사이즈=M", "사이즈=L", "사이즈=XL"}}, 39, 89},
	{"니트 가디건", [][]string{{"색상=베이지", "색상=아이보리", "색상=차콜"}, {"사이즈=FREE"}}, 35, 79},
	{"스니커즈", [][]string{{"색상=화이트", "색상=블랙"}, {"사이즈=240", "사이즈=250", "사이즈=260", "사이즈=270"}}, 49, 159},
	{"에코백", [][]string{{"색상=내추럴", "색상=블랙"}}, 12, 29},
	{"머그컵", [][]string{{"색상=화이트", "색상=민트", "색상=핑크"}}, 8, 19},
	{"수건 세트", [][]string{{"구성=3매", "구성=5매"}}, 15, 35},
	{"핸드크림", [][]string{{"향=라벤더", "향=시트러스", "향=무향"}}, 6, 18},
	{"수분 크림", [][]string{{"용량=50ml", "용량=100ml"}}, 19, 49},
	{"견과류 선물세트", [][]string{{"구성=소", "구성=대"}}, 19, 59},
	{"드립백 커피", [][]string{{"구성=10개입", "구성=30개입"}}, 9, 29},
	{"무선 이어폰", [][]string{{"색상=화이트", "색상=블랙"}}, 39, 189},
	{"캠핑 의자", [][]string{{"색상=카키", "색상=베이지"}}, 29, 89},
}

var productAdjectives = []string{"데일리", "베이직", "프리미엄", "오버핏", "클래식", "소프트", "시그니처", "에센셜", "내추럴", "모던"}

type variant struct {
	code   string // variant_code, 12 chars
	option string // option_value
	price  int64  // option_price in won
}

type product struct {
	no       int
	code     string // product_code, 8 chars
	name     string
	price    int64 // product_price in won
	supplier uint8 // index into suppliers
	variants []variant
}

// base36 writes n in uppercase base 36, left-padded with zeros to width.
func base36(n, width int) string {
	s := strings.ToUpper(strconv.FormatInt(int64(n), 36))
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return s
}

// newCatalog draws n products. Product p has product_no p+1, product_code "P" + 7 base-36
// digits (P000000A is product 10), and variants {product_code}000A, 000B, ...
func newCatalog(r *rand.Rand, n int) []product {
	out := make([]product, n)
	for i := range out {
		k := productKinds[i%len(productKinds)]
		adj := productAdjectives[(i/len(productKinds))%len(productAdjectives)]
		no := i + 1
		code := "P" + base36(no, 7)
		p := product{
			no:       no,
			code:     code,
			name:     adj + " " + k.noun,
			price:    int64(k.lo+r.IntN(k.hi-k.lo+1))*1000 - 100*int64(r.IntN(2)),
			supplier: uint8(r.IntN(len(suppliers))),
		}
		// Variants: the product of the option groups, capped at 8.
		combos := []string{""}
		for _, g := range k.options {
			var next []string
			for _, c := range combos {
				for _, v := range g {
					if c == "" {
						next = append(next, v)
					} else {
						next = append(next, c+", "+v)
					}
				}
			}
			combos = next
		}
		if len(combos) > 8 {
			combos = combos[:8]
		}
		for j, c := range combos {
			var extra int64
			if strings.Contains(c, "XL") || strings.Contains(c, "100ml") || strings.Contains(c, "대") || strings.Contains(c, "30개입") || strings.Contains(c, "5매") {
				extra = 2000
			}
			p.variants = append(p.variants, variant{code: code + base36(j+10, 4), option: c, price: extra})
		}
		out[i] = p
	}
	return out
}
