/* A minimal test harness for the CTest programs: CHECK prints the failing expression and exits 1. */
#ifndef SB_TEST_H
#define SB_TEST_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond) \
    do \
    { \
        if (!(cond)) \
        { \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            exit(1); \
        } \
    } \
    while (0)

#define CHECK_EQ_LL(expected, actual) \
    do \
    { \
        const long long e_ = (long long)(expected); \
        const long long a_ = (long long)(actual); \
        if (e_ != a_) \
        { \
            fprintf(stderr, "%s:%d: expected %s == %lld, was %lld\n", __FILE__, __LINE__, #actual, e_, a_); \
            exit(1); \
        } \
    } \
    while (0)

#define RUN(test) \
    do \
    { \
        test(); \
        printf("ok %s\n", #test); \
    } \
    while (0)

#endif
