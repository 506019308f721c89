// The gateway catalogue shipped with Accord: one reviewed JSON document.
// Change it only through review; a deployment can load its own with
// `accord serve --gateways FILE`. Sources: the department's published guidance
// "How DfE shares personal data" and the Data Protection Act 2018.
let standardGatewaysJSON = #"""
    {
      "version": 1,
      "reviewed": "2026-11-29",
      "gateways": [
        {
          "id": "ed-ipi-2009",
          "title": "The Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009",
          "permits": ["school", "local_authority", "researcher", "education_wellbeing_org", "crime_prevention", "crown_public_body"],
          "covers": "individual pupil information (National Pupil Database)"
        },
        {
          "id": "childcare-2009",
          "title": "The Childcare (Provision of Information About Young Children) (England) Regulations 2009",
          "permits": ["researcher"],
          "covers": "early years data, for research into the educational achievements of children"
        },
        {
          "id": "alternative-provision-2007",
          "title": "The Education (Information About Children in Alternative Provision) (England) Regulations 2007",
          "permits": ["researcher"],
          "covers": "alternative provision data, for research into the educational achievements of children"
        },
        {
          "id": "ascl-act-2009",
          "title": "The Apprenticeships, Skills, Children and Learning Act 2009",
          "permits": ["researcher", "local_authority", "crown_public_body", "education_wellbeing_org"],
          "covers": "learner data, to enable or facilitate the department's functions relating to education or training"
        },
        {
          "id": "education-skills-act-2008",
          "title": "The Education and Skills Act 2008",
          "permits": ["researcher", "local_authority", "crown_public_body"],
          "covers": "learner data for an assessment function: evaluating training or education, assessing policy"
        },
        {
          "id": "student-information-2015",
          "title": "The Education (Student Information) (England) Regulations 2015",
          "permits": ["researcher", "education_wellbeing_org", "local_authority"],
          "covers": "further education learner data, for research, statistics, or information, advice and guidance"
        },
        {
          "id": "children-act-1989",
          "title": "The Children Act 1989",
          "permits": ["researcher", "local_authority"],
          "covers": "children's services data, for research connected with specified functions"
        },
        {
          "id": "school-workforce-2007",
          "title": "The Education (Supply of Information about the School Workforce) (No.2) (England) Regulations 2007",
          "permits": ["researcher"],
          "covers": "school workforce data, for research expected to be of public benefit"
        },
        {
          "id": "hera-2017",
          "title": "The Higher Education and Research Act 2017",
          "permits": ["researcher"],
          "covers": "UCAS data, for approved persons researching choices, equality of opportunity, or approved areas"
        },
        {
          "id": "dea-2017-p5c5",
          "title": "Digital Economy Act 2017, Part 5, Chapter 5",
          "permits": ["researcher"],
          "covers": "de-identified data only, for accredited research in the public good",
          "deIdentifiedOnly": true
        },
        {
          "id": "dpa-2018-s2p2",
          "title": "Data Protection Act 2018, Schedule 2, paragraph 2 (crime and taxation)",
          "permits": ["police", "home_office", "crime_prevention"],
          "covers": "limited identifying data where there is clear evidence of criminal activity or a child at risk"
        },
        {
          "id": "court-order",
          "title": "Court order (including Family Court orders)",
          "permits": ["court", "police", "home_office", "other"],
          "covers": "the data a court orders disclosed"
        }
      ]
    }
    """#
