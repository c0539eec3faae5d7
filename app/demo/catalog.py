"""Hand-written names and places for the demo: people, streets, towns and businesses.

Everything is fictional; e-mail domains are the reserved example.* ones and phone numbers sit
in the 555-01xx block set aside for fiction.
"""

FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "David", "Linda", "William",
    "Elizabeth", "Richard", "Barbara", "Joseph", "Susan", "Thomas", "Jessica", "Charles", "Sarah",
    "Christopher", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Betty", "Mark",
    "Sandra", "Steven", "Ashley", "Paul", "Kimberly", "Andrew", "Emily", "Joshua", "Donna",
    "Kevin", "Michelle", "Brian", "Carol", "George", "Amanda", "Timothy", "Melissa", "Ronald",
    "Deborah", "Jason", "Stephanie", "Ryan", "Rebecca", "Jacob", "Laura", "Gary", "Sharon",
    "Nicholas", "Cynthia", "Eric", "Kathleen", "Jonathan", "Amy", "Juan", "Angela", "Hector",
    "Priya", "Wei", "Aisha", "Tomasz", "Nkechi", "Dmitri", "Mei", "Rafael", "Yolanda",
)  # fmt: skip

LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Novak", "Kowalczyk", "Schroeder",
    "Lindqvist", "Okafor", "Patel", "Chen", "Brennan", "Dubois", "Hoffmann", "Yoder", "Sorensen",
)  # fmt: skip

STREETS = (
    "Oak Street", "Maple Avenue", "Cedar Lane", "Elm Street", "Walnut Drive", "Chestnut Street",
    "Lincoln Avenue", "Washington Street", "Jefferson Street", "Monroe Street", "Adams Street",
    "Spring Street", "Wabash Avenue", "Lawrence Avenue", "Chatham Road", "Koke Mill Road",
    "Iles Avenue", "Stevenson Drive", "Cherry Road", "Meadowbrook Road", "Prairie Crossing Drive",
    "Sangamon Avenue", "Peoria Road", "Dirksen Parkway", "Woodland Avenue", "Bergen Drive",
    "Old Jacksonville Road", "Lake Shore Drive", "Williams Boulevard", "Hazel Dell Road",
    "Timberline Court", "Fox Run Road", "Willow Creek Lane", "Briarwood Drive", "Cardinal Court",
    "Hickory Hollow Road", "Sunset Drive", "Magnolia Way", "Ridgely Avenue", "Park Avenue",
)  # fmt: skip

# (town, ZIP codes): Springfield, Illinois and the towns around it.
TOWNS = (
    ("Springfield", ("62701", "62702", "62703", "62704", "62707", "62711", "62712")),
    ("Chatham", ("62629",)),
    ("Rochester", ("62563",)),
    ("Sherman", ("62684",)),
    ("Riverton", ("62561",)),
    ("Petersburg", ("62675",)),
    ("Jacksonville", ("62650",)),
    ("Decatur", ("62521", "62522", "62526")),
    ("Lincoln", ("62656",)),
    ("Taylorville", ("62568",)),
)
STATE = "IL"

PERSONAL_EMAIL_DOMAINS = ("example.com", "example.net", "example.org")

# Business names by the kind of customer profile that uses them.
BUSINESS_NAMES = {
    "restaurant": (
        "Bella Notte Trattoria", "Cozy Dog Diner", "Route 66 Smokehouse", "Golden Wok",
        "Capitol Grill & Tap", "La Casita Taqueria", "Maid-Rite Corner", "Prairie Fire Pizza",
        "Blue Heron Bistro", "Horseshoe House", "Two Brothers BBQ", "Lakeside Supper Club",
    ),
    "grocery": (
        "Hometown Market", "Sangamon Valley Foods", "Fresh Acres Grocery", "Corner Basket Market",
        "Heartland Fresh Market", "Prairie Co-op Grocery",
    ),
    "office": (
        "Capitol Tower LLC", "Old State Plaza Partners", "Lincoln Square Holdings",
        "Monroe Center Associates", "First Street Office Trust",
    ),
    "church": (
        "First Lutheran Church", "St. Agnes Parish", "Grace United Methodist Church",
        "Westminster Presbyterian Church", "New Hope Baptist Church",
    ),
    "clinic": (
        "Lakeside Family Dental", "Prairie Pediatrics", "Springfield Eye Care",
        "Chatham Animal Hospital", "Westside Physical Therapy",
    ),
    "hotel": (
        "Lincoln Inn & Suites", "Capitol Stay Hotel", "Route 66 Motor Lodge",
        "Prairie Star Inn", "Statehouse Suites",
    ),
    "property_manager": (
        "Prairie Gate Property Management", "Sangamon Residential Group",
        "Keystone Property Services", "Heartland Realty Management",
    ),
}  # fmt: skip

APARTMENT_NAMES = (
    "Maple Court Apartments", "Willow Run Apartments", "Oakridge Townhomes", "Cedar Glen Flats",
    "Brookside Commons", "Parkview Terrace", "Fox Hollow Apartments", "Lakeview Residences",
)  # fmt: skip

OFFICE_PARK_NAMES = (
    "Riverside Office Park", "Koke Mill Business Center", "Wabash Corporate Center",
    "Dirksen Professional Plaza",
)  # fmt: skip

SECOND_HOME_NAMES = (
    "Lake cabin",
    "Rental house",
    "Mother-in-law's house",
    "Lake Springfield cottage",
)

ACCESS_NOTES = (
    "",
    "",
    "",
    "Dog in the back yard; call before entering the gate.",
    "Gate code 4417.",
    "Key in the lockbox by the side door, code 2580.",
    "Park on the street; the driveway is shared.",
    "Furnace is in the crawl space; bring a drop light.",
    "Roof access by the ladder in the back stockroom; ask the manager for the key.",
    "Deliveries and service through the rear loading door only, before 11 am.",
)

COMMERCIAL_CONTACT_TITLES = (
    "general manager", "facilities manager", "owner", "office manager", "store manager",
)  # fmt: skip

# Who phones in or scans a sticker at a commercial site when something breaks.
ON_SITE_CALLERS = ("Night manager", "Kitchen manager", "Front desk", "Head cook", "Custodian")
