package demo

// Names to build practitioners from. Demo practitioners are never real
// people: each is a given name and a family name drawn at random from these
// lists of common names in England, so any resemblance is chance.
// The early years workforce is overwhelmingly women, and the lists lean so.
var givenNames = []string{
	"Amelia", "Olivia", "Emily", "Isla", "Ava", "Jessica", "Poppy", "Sophie", "Lily", "Grace",
	"Chloe", "Ella", "Charlotte", "Mia", "Ruby", "Evie", "Hannah", "Lucy", "Holly", "Megan",
	"Sarah", "Rachel", "Laura", "Emma", "Gemma", "Claire", "Nicola", "Rebecca", "Katie", "Amy",
	"Joanne", "Helen", "Louise", "Lisa", "Kelly", "Donna", "Michelle", "Natalie", "Victoria", "Zoe",
	"Fatima", "Aisha", "Maryam", "Zainab", "Amina", "Priya", "Sana", "Nadia", "Yasmin", "Leah",
	"Chantelle", "Danielle", "Jade", "Stacey", "Kerry", "Karen", "Julie", "Susan", "Tracey", "Dawn",
	"Bethany", "Abigail", "Freya", "Phoebe", "Niamh", "Siobhan", "Agnieszka", "Joanna", "Ioana", "Precious",
	"Oliver", "James", "Daniel", "Mohammed", "Thomas", "Ryan", "Adam", "Lewis",
}

var familyNames = []string{
	"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
	"Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
	"Patel", "Khan", "Lewis", "James", "Phillips", "Mason", "Mitchell", "Rose", "Davis", "Rodriguez",
	"Cox", "Alexander", "Gardner", "Campbell", "Johnston", "Moore", "Smyth", "O'Neill", "Doherty", "Stewart",
	"Quinn", "Murphy", "Graham", "McLaughlin", "Hamilton", "Murray", "Hughes", "Robertson", "Thomson", "Scott",
	"Macdonald", "Reid", "Clark", "Ross", "Young", "Watson", "Paterson", "Morrison", "Harris", "Martin",
	"Hussain", "Ali", "Ahmed", "Begum", "Akhtar", "Shah", "Iqbal", "Kaur", "Singh", "Mahmood",
	"Nowak", "Kowalski", "Popescu", "Okafor", "Adeyemi", "Mensah", "Owusu", "Turner", "Parker", "Collins",
	"Edwards", "Morris", "Cooper", "Ward", "Bailey", "Bell", "Carter", "Shaw", "Lee", "Marshall",
	"Holmes", "Atkinson", "Hudson", "Fletcher", "Barker", "Kershaw", "Sutcliffe", "Ackroyd", "Dixon", "Armstrong",
}

// priorSENTraining is the kind of SEN training practitioners already have
// before the programme: mostly free local authority courses.
var priorSENTraining = []string{
	"Local authority SENCO network meetings",
	"Local authority two-day SENCO induction",
	"Area SENCO training on the graduated approach",
	"Makaton Level 1",
	"Autism awareness (online course)",
	"Speech, language and communication training from the local authority",
	"Portage workshop",
	"Level 2 certificate in understanding SEN (distance learning)",
}
