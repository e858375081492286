/* store_sql.h — SQL fragments the courses store files (store.c,
 * store_more.c) share; nothing else includes it. */
#ifndef LI_COURSES_STORE_SQL_H
#define LI_COURSES_STORE_SQL_H

/* Sessions held by e's course (C5) and e's marks of one status in them. */
#define HELD                                                                                                       \
    "(SELECT COUNT(*) FROM course_session s WHERE s.course_id = e.course_id AND s.status = 'scheduled' "          \
    "AND EXISTS (SELECT 1 FROM course_attendance a WHERE a.session_id = s.id))"
#define MARKS(status)                                                                                              \
    "(SELECT COUNT(*) FROM course_attendance a JOIN course_session s ON s.id = a.session_id "                     \
    "WHERE a.enrolment_id = e.id AND s.status = 'scheduled' AND a.status = '" status "')"
#define COUNT_COLS                                                                                                 \
    MARKS("present") " AS present, " MARKS("late") " AS late, " MARKS("excused") " AS excused, " MARKS("absent")  \
    " AS absent, " HELD " AS sessions_held"

#endif
